using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>EKS clusters.</summary>
public sealed class ClusterTools(PluginRouter<EksPlugin> router, EksApiService service)
{
    /// <summary>Lists the instance's EKS clusters.</summary>
    [McpServerTool(Name = "eks_cluster_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("EKS clusters: version, status, endpoint access.")]
    public async Task<string> List(
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default) =>
        await service.ListClustersAsync(await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a cluster.</summary>
    [McpServerTool(Name = "eks_cluster_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Cluster details: endpoint, logging, auth, health.")]
    public async Task<string> Describe(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.DescribeClusterAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
