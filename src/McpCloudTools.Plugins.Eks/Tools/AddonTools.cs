using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>EKS add-ons.</summary>
public sealed class AddonTools(PluginRouter<EksPlugin> router, EksApiService service)
{
    /// <summary>Lists add-ons.</summary>
    [McpServerTool(Name = "eks_addon_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Add-ons with health.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        await service.ListAddonsAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
