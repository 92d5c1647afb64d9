using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>EKS clusters.</summary>
public sealed class ClusterTools(PluginRouter router, EksApiService service)
{
    /// <summary>Lists the instance's EKS clusters.</summary>
    [McpServerTool(Name = "eks_cluster_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("EKS clusters of an instance's account and region: id, version, status, endpoint access, health issues; unhealthy first.")]
    public async Task<string> List(
        [Description(ToolParams.Instance)] string? instance = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.ListClustersAsync(await router.InstanceAsync("eks", instance, cancellationToken).ConfigureAwait(false), limit, cursor, cancellationToken).ConfigureAwait(false);

    /// <summary>Describes a cluster.</summary>
    [McpServerTool(Name = "eks_cluster_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("One EKS cluster: version, platform, status, endpoint access and CIDRs, logging, auth mode, OIDC issuer, health issues.")]
    public async Task<string> Describe(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.DescribeClusterAsync(await router.ClusterAsync("eks", cluster_id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
