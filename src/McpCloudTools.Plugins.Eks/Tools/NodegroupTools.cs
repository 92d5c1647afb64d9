using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Managed node groups.</summary>
public sealed class NodegroupTools(PluginRouter<EksPlugin> router, EksApiService service)
{
    /// <summary>Lists node groups.</summary>
    [McpServerTool(Name = "eks_nodegroup_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Node groups with scaling and health.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ListNodegroupsAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a node group.</summary>
    [McpServerTool(Name = "eks_nodegroup_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Node group details.")]
    public async Task<string> Describe(
        [Description("Name"), EksName(EksName.Nodegroup)] string nodegroup,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.DescribeNodegroupAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), nodegroup, cancellationToken).ConfigureAwait(false);

    /// <summary>Scales a node group.</summary>
    [McpServerTool(Name = "eks_nodegroup_scale", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Scale a node group; waits briefly.")]
    public async Task<string> Scale(
        [Description("Name"), EksName(EksName.Nodegroup)] string nodegroup,
        [Description("Nodes")] int desired,
        [Description("New max")] int? max = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ScaleNodegroupAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), nodegroup, desired, max, cancellationToken).ConfigureAwait(false);
}
