using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// An immutable snapshot of everything the registry holds. Readers take the current snapshot without locking;
/// writers build a new one under the registry's lock. This is what is persisted.
/// </summary>
/// <param name="Instances">Plugin instances in creation order.</param>
/// <param name="Clusters">Clusters in registration order.</param>
/// <param name="ActiveClusterId">The active cluster, if any.</param>
/// <param name="KnownTypes">Plugin types this state has seen; a type seen for the first time gets a default instance.</param>
public sealed record RegistryState(
    ImmutableList<PluginInstance> Instances,
    ImmutableList<ClusterInfo> Clusters,
    string? ActiveClusterId,
    ImmutableSortedSet<string> KnownTypes)
{
    /// <summary>An empty state.</summary>
    public static RegistryState Empty { get; } = new([], [], null, ImmutableSortedSet<string>.Empty);

    /// <summary>The instance with this id, or null.</summary>
    public PluginInstance? FindInstance(string id) => Instances.Find(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The cluster with this id, or null.</summary>
    public ClusterInfo? FindCluster(string id) => Clusters.Find(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
