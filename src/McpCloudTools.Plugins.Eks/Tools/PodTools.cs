using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Pods inside a cluster.</summary>
public sealed class PodTools(PluginRouter router, PodListService list, PodDetailService detail)
{
    /// <summary>Lists pods.</summary>
    [McpServerTool(Name = "eks_pod_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Pods with counts by status at the top and unhealthy first (CrashLoopBackOff, ImagePullBackOff, OOMKilled, Pending with the scheduler's reason…). Start here when asked what is wrong.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.NamespaceAll)] string? @namespace = null,
        [Description(EksParams.LabelSelector)] string? label_selector = null,
        [Description("Only unhealthy pods")] bool unhealthy_only = false,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await list.ListAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace),
            EksParams.Blank(label_selector), unhealthy_only, limit, cursor, cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a pod.</summary>
    [McpServerTool(Name = "eks_pod_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("One pod like kubectl describe, trimmed: conditions, containers with state, last state and exit codes, env (secrets as references), recent events.")]
    public async Task<string> Describe(
        [Description("Pod name")] string pod,
        [Description(EksParams.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await detail.DescribeAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default", pod, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a pod's log.</summary>
    [McpServerTool(Name = "eks_pod_logs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("The tail of a container's log (previous=true: the crashed instance before the current one), capped in bytes.")]
    public async Task<string> Logs(
        [Description("Pod name")] string pod,
        [Description(EksParams.Namespace)] string? @namespace = null,
        [Description("Container; default: the pod's default")] string? container = null,
        [Description("Last N lines (default 100)")] int tail_lines = 100,
        [Description("Only the last N seconds")] int? since_seconds = null,
        [Description("The previous instance")] bool previous = false,
        [Description("Byte cap (default 16000)")] int max_bytes = 16000,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default)
    {
        if (tail_lines is < 1 or > 5000) throw new Core.ToolException($"tail_lines must be between 1 and 5000 (got {tail_lines}).");
        if (max_bytes is < 256 or > 1_000_000) throw new Core.ToolException($"max_bytes must be between 256 and 1000000 (got {max_bytes}).");
        if (since_seconds is < 1) throw new Core.ToolException($"since_seconds must be 1 or more (got {since_seconds}).");
        return await detail.LogsAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default", pod,
            EksParams.Blank(container), tail_lines, since_seconds, previous, max_bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a pod.</summary>
    [McpServerTool(Name = "eks_pod_delete", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Delete a pod; says whether its controller recreates it.")]
    public async Task<string> Delete(
        [Description("Pod name")] string pod,
        [Description(EksParams.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await detail.DeleteAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default", pod, cancellationToken).ConfigureAwait(false);
}

/// <summary>Parameter descriptions the in-cluster tools share.</summary>
internal static class EksParams
{
    public const string NamespaceAll = "Namespace; default: all";
    public const string Namespace = "Namespace (default: default)";
    public const string LabelSelector = "Label selector, e.g. app=web,tier!=db";

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
