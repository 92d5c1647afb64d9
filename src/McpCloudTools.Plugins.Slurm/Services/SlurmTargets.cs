using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>The Slurm cluster a tool acts on and the client of the instance that serves it.</summary>
internal sealed record SlurmTarget(ClusterInfo Cluster, PluginInstance Instance, SlurmClient Client);

/// <summary>Routes cluster-scoped tools: the named cluster, else the active one, else the only Slurm cluster.</summary>
internal sealed class SlurmTargets(PluginRouter router, SlurmConnections connections)
{
    private const int MaxClusterIdLength = 140;

    public async Task<SlurmTarget> ClusterAsync(string? clusterId, CancellationToken cancellationToken)
    {
        if (clusterId is { Length: > MaxClusterIdLength })
        {
            throw new ToolException($"cluster_id is {clusterId.Length} characters; cluster ids are at most {MaxClusterIdLength} (e.g. slurm:hpc). clusters_list shows them.");
        }

        var target = await router.ClusterAsync(SlurmPlugin.Type, clusterId, cancellationToken).ConfigureAwait(false);
        return new SlurmTarget(target.Cluster, target.Plugin.Instance, connections.For(target.Plugin.Instance));
    }
}
