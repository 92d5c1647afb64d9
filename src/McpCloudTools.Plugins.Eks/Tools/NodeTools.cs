using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Nodes of a cluster.</summary>
public sealed class NodeTools(PluginRouter<EksPlugin> router, WorkloadService service)
{
    /// <summary>Lists nodes.</summary>
    [McpServerTool(Name = "eks_node_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Nodes, problems first.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.LabelSelector), EksName(EksName.LabelSelector)] string? label_selector = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.NodesAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(label_selector),
            limit, cursor, cancellationToken).ConfigureAwait(false);
}
