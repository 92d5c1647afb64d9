using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Tools;

/// <summary>Namespaces inside a cluster.</summary>
public sealed class NamespaceTools(PluginRouter<EksPlugin> router, WorkloadService service)
{
    /// <summary>Lists namespaces.</summary>
    [McpServerTool(Name = "eks_namespace_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Namespaces.")]
    public async Task<string> List(
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description("Default 100")] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        await service.NamespacesAsync(await router.ClusterAsync(cluster_id, cancellationToken).ConfigureAwait(false), limit, cursor, cancellationToken).ConfigureAwait(false);
}
