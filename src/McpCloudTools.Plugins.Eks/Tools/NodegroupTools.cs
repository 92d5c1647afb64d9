using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Managed node groups.</summary>
public sealed class NodegroupTools(PluginRouter router, EksApiService service)
{
    /// <summary>Lists node groups.</summary>
    [McpServerTool(Name = "eks_nodegroup_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Managed node groups: status, capacity type, instance types, desired/min/max, health issues; degraded first.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ListNodegroupsAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a node group.</summary>
    [McpServerTool(Name = "eks_nodegroup_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("One node group: scaling, instance types, capacity type, AMI, labels, taints, auto scaling group, health issues.")]
    public async Task<string> Describe(
        [Description("Node group name")] string nodegroup,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.DescribeNodegroupAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), nodegroup, cancellationToken).ConfigureAwait(false);

    /// <summary>Scales a node group.</summary>
    [McpServerTool(Name = "eks_nodegroup_scale", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Set a node group's desired size (and optionally min/max); returns the EKS update id and its outcome after a short wait.")]
    public async Task<string> Scale(
        [Description("Node group name")] string nodegroup,
        [Description("Desired nodes")] int desired,
        [Description("New min size")] int? min = null,
        [Description("New max size")] int? max = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ScaleNodegroupAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), nodegroup, desired, min, max, cancellationToken).ConfigureAwait(false);
}
