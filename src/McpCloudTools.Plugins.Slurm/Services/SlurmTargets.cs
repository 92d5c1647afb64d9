using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>The Slurm cluster a tool acts on and the client of the instance that serves it.</summary>
internal sealed record SlurmTarget(ClusterInfo Cluster, PluginInstance Instance, SlurmClient Client);

/// <summary>
/// Routes cluster-scoped tools: the named cluster, else the active one, else the only Slurm cluster. When there is
/// none because no instance could register one, the router's refusal says why (no url, unreachable, refused token).
/// </summary>
internal sealed class SlurmTargets(PluginRouter<SlurmPlugin> router, SlurmConnections connections)
{
    // cluster_id follows the shared rule (ToolParams.ClusterIdRule), which the call guard has checked.
    public async Task<SlurmTarget> ClusterAsync(string? clusterId, CancellationToken cancellationToken)
    {
        var target = await router.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        return new SlurmTarget(target.Cluster, target.Plugin.Instance, connections.For(target.Plugin));
    }
}
