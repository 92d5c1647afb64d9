using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Events inside a cluster.</summary>
public sealed class EventTools(PluginRouter<EksPlugin> router, WorkloadService service)
{
    /// <summary>Lists events.</summary>
    [McpServerTool(Name = "eks_event_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Events, warnings first.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.NamespaceAll), EksName(EksName.Namespace)] string? @namespace = null,
        [Description("Default 30")] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.EventsAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace),
            null, limit, cursor, cancellationToken).ConfigureAwait(false);
}
