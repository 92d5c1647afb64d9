using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Registry;

/// <summary>Where plugins put the clusters they discover.</summary>
public interface IClusterRegistrar
{
    /// <summary>
    /// Replaces the clusters discovered by one plugin instance: new ones are added, known ones updated, vanished ones
    /// dropped. Manual entries with the same id are left alone.
    /// </summary>
    Task SetDiscoveredClustersAsync(string instanceId, IReadOnlyList<ClusterInfo> clusters, CancellationToken cancellationToken);
}

/// <summary>
/// Clusters: registered by hand (kept until removed; the name checked against the plugin's rule, since it reaches the
/// service's URLs) and discovered by plugin instances (replaced per instance at each discovery). Removing a cluster
/// that is active clears it for every caller. Changes go through the <see cref="RegistryStateOwner"/>.
/// </summary>
public sealed class ClusterRegistry(RegistryStateOwner state, ToolCatalog catalog) : IClusterRegistrar
{
    /// <summary>Every cluster, in registration order.</summary>
    public IReadOnlyList<ClusterInfo> All => state.Current.Clusters;

    /// <summary>The cluster with this id, or null.</summary>
    public ClusterInfo? Find(string id) => state.Current.FindCluster(id);

    /// <summary>Registers (or replaces) a cluster by hand.</summary>
    public Task<ClusterInfo> RegisterAsync(ClusterInfo cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var plugin = RegistryRules.PluginType(catalog, cluster.PluginType);
        var entry = RegistryRules.ManualCluster(plugin, cluster);
        var id = entry.Id;
        return state.ApplyAsync(current =>
        {
            if (entry.InstanceId is { } instanceId)
            {
                var instance = current.FindInstance(instanceId) ?? throw RegistryRules.NoInstance(current, instanceId);
                if (instance.Type != entry.PluginType)
                {
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"Instance '{instanceId}' is a {instance.Type} instance; a {entry.PluginType} cluster needs a {entry.PluginType} instance.");
                }
            }

            var existing = current.FindCluster(id) is { } found ? RegistryRules.NotDeclared(found) : null;
            return (current with { Clusters = existing is null ? current.Clusters.Add(entry) : current.Clusters.Replace(existing, entry) }, entry);
        }, cancellationToken);
    }

    /// <summary>Removes a cluster; it stops being active for every caller that had it.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken = default) => state.ApplyAsync(current =>
    {
        var existing = RegistryRules.NotDeclared(current.FindCluster(id) ?? throw RegistryRules.NoCluster(current, id));
        return current.WithClusters(current.Clusters.Remove(existing));
    }, cancellationToken);

    /// <inheritdoc />
    public Task SetDiscoveredClustersAsync(string instanceId, IReadOnlyList<ClusterInfo> clusters, CancellationToken cancellationToken) =>
        state.ApplyAsync(current =>
        {
            var instance = current.FindInstance(instanceId) ?? throw RegistryRules.NoInstance(current, instanceId);
            var list = current.Clusters.Where(c => !(c.Source == ClusterSource.Discovered && RegistryRules.Same(c.InstanceId, instance.Id))).ToList();
            foreach (var found in clusters)
            {
                var entry = found with
                {
                    Source = ClusterSource.Discovered, InstanceId = instance.Id, PluginType = instance.Type,
                    Config = found.Config.ToImmutableSortedDictionary(StringComparer.Ordinal),
                };
                if (list.Any(c => RegistryRules.Same(c.Id, entry.Id)))
                {
                    entry = entry with { Id = $"{entry.Id}@{instance.Id}" };
                }

                if (list.Any(c => RegistryRules.Same(c.Id, entry.Id)))
                {
                    continue;
                }

                var previous = current.FindCluster(entry.Id);
                list.Add(previous is not null && previous.Source == ClusterSource.Discovered && SameCluster(previous, entry) ? previous : entry);
            }

            return Unchanged(current.Clusters, list) ? current : current.WithClusters([.. list]);
        }, cancellationToken);

    private static bool Unchanged(ImmutableList<ClusterInfo> before, List<ClusterInfo> after) =>
        before.Count == after.Count && before.Zip(after).All(p => ReferenceEquals(p.First, p.Second));

    private static bool SameCluster(ClusterInfo a, ClusterInfo b) =>
        a.Id == b.Id && a.Name == b.Name && a.Region == b.Region && a.PluginType == b.PluginType && a.InstanceId == b.InstanceId &&
        a.Config.Count == b.Config.Count && a.Config.All(kv => b.Config.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
