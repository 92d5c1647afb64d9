using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Pods inside a cluster.</summary>
public sealed class PodTools(PluginRouter<EksPlugin> router, PodListService list, PodDetailService detail)
{
    /// <summary>Lists pods.</summary>
    [McpServerTool(Name = "eks_pod_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Pods, unhealthy first with reasons; start here.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.NamespaceAll), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(EksParams.LabelSelector), EksName(EksName.LabelSelector)] string? label_selector = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await list.ListAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace),
            EksParams.Blank(label_selector), limit, cursor, cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a pod.</summary>
    [McpServerTool(Name = "eks_pod_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("Pod details, exit codes, events.")]
    public async Task<string> Describe(
        [Description("Pod"), EksName(EksName.Pod)] string pod,
        [Description(EksParams.NamespaceFound), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await detail.DescribeAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace), pod, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a pod's log.</summary>
    [McpServerTool(Name = "eks_pod_logs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("Tail of a container log.")]
    public async Task<string> Logs(
        [Description("Pod"), EksName(EksName.Pod)] string pod,
        [Description(EksParams.NamespaceFound), EksName(EksName.Namespace)] string? @namespace = null,
        [Description("Default: first"), EksName(EksName.Container)] string? container = null,
        [Description("Default 100")] int? tail_lines = null,
        [Description("Seconds back")] int? since_seconds = null,
        [Description("Crashed instance")] bool? previous = null,
        [Description("Default 16000")] int? max_bytes = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default)
    {
        var tail = tail_lines ?? 100;
        var cap = max_bytes ?? 16000;
        if (tail is < 1 or > 5000) throw new Core.ToolException($"tail_lines must be between 1 and 5000 (got {tail_lines}).");
        if (cap is < 256 or > 1_000_000) throw new Core.ToolException($"max_bytes must be between 256 and 1000000 (got {max_bytes}).");
        if (since_seconds is < 1) throw new Core.ToolException($"since_seconds must be 1 or more (got {since_seconds}).");
        return await detail.LogsAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace), pod,
            EksParams.Blank(container), tail, since_seconds, previous ?? false, cap, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a pod.</summary>
    [McpServerTool(Name = "eks_pod_delete", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Delete a pod.")]
    public async Task<string> Delete(
        [Description("Pod"), EksName(EksName.Pod)] string pod,
        [Description(EksParams.Namespace), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await detail.DeleteAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default", pod, cancellationToken).ConfigureAwait(false);
}

/// <summary>Parameter descriptions the in-cluster tools share.</summary>
internal static class EksParams
{
    public const string NamespaceAll = "Default: all";
    public const string Namespace = "Default: default";
    public const string NamespaceFound = "Default: the pod's, if its name is unique";
    public const string LabelSelector = "e.g. app=web";

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
