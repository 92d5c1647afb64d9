using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Deployments inside a cluster.</summary>
public sealed class DeploymentTools(PluginRouter<EksPlugin> router, WorkloadService service)
{
    /// <summary>Lists deployments.</summary>
    [McpServerTool(Name = "eks_deployment_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Deployments, unready first.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(EksParams.NamespaceAll), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(EksParams.LabelSelector), EksName(EksName.LabelSelector)] string? label_selector = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.DeploymentsAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace),
            EksParams.Blank(label_selector), limit, cursor, cancellationToken).ConfigureAwait(false);

    /// <summary>Scales a deployment.</summary>
    [McpServerTool(Name = "eks_deployment_scale", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Scale a deployment.")]
    public async Task<string> Scale(
        [Description("Deployment"), EksName(EksName.Deployment)] string deployment,
        [Description("Replicas")] int replicas,
        [Description(EksParams.Namespace), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ScaleAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default",
            deployment, replicas, cancellationToken).ConfigureAwait(false);

    /// <summary>Restarts a deployment.</summary>
    [McpServerTool(Name = "eks_deployment_restart", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Restart a deployment.")]
    public async Task<string> Restart(
        [Description("Deployment"), EksName(EksName.Deployment)] string deployment,
        [Description(EksParams.Namespace), EksName(EksName.Namespace)] string? @namespace = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.RestartAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), EksParams.Blank(@namespace) ?? "default",
            deployment, cancellationToken).ConfigureAwait(false);
}
