using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>The Slurm cluster a tool acts on and the client of the instance that serves it.</summary>
internal sealed record SlurmTarget(ClusterInfo Cluster, PluginInstance Instance, SlurmClient Client);

/// <summary>Routes cluster-scoped tools: the named cluster, else the active one, else the only Slurm cluster.</summary>
internal sealed class SlurmTargets(PluginRouter router, PluginRegistry registry, SlurmConnections connections)
{
    // cluster_id follows the shared rule (ToolParams.ClusterIdRule), which the call guard has checked.
    public async Task<SlurmTarget> ClusterAsync(string? clusterId, CancellationToken cancellationToken)
    {
        ClusterTarget target;
        try
        {
            target = await router.ClusterAsync(SlurmPlugin.Type, clusterId, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e) when (!registry.Clusters.Any(c => c.PluginType == SlurmPlugin.Type))
        {
            // No cluster because no instance could register one: say why (no url, unreachable, refused token).
            var failures = await router.InitializeAllAsync(SlurmPlugin.Type, refresh: false, cancellationToken).ConfigureAwait(false);
            throw failures.Count == 0 ? e : new ToolException("No Slurm cluster is available: " +
                string.Join("; ", failures.Select(f => $"instance {f.Key}: {f.Value}")), e);
        }

        return new SlurmTarget(target.Cluster, target.Plugin.Instance, connections.For(target.Plugin.Instance));
    }
}
