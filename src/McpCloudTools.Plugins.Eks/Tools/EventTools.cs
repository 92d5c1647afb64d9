using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Events inside a cluster.</summary>
public sealed class EventTools(PluginRouter router, WorkloadService service)
{
    /// <summary>Lists events.</summary>
    [McpServerTool(Name = "eks_event_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Kubernetes events, warnings first then newest, with counts by warning reason.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.NamespaceAll)] string? @namespace = null,
        [Description("Only events about this object (pod, deployment, node name)")] string? object_name = null,
        [Description("Only warnings")] bool warnings_only = false,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.EventsAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace),
            EksParams.Blank(object_name), warnings_only, limit, cursor, cancellationToken).ConfigureAwait(false);
}
