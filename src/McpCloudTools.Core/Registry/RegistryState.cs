using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// An immutable snapshot of everything the registry holds, and what is persisted. Readers take the current snapshot
/// without locking; a change is a pure function from one snapshot to the next (<see cref="RegistryStateOwner"/>).
/// </summary>
/// <param name="Instances">Plugin instances in creation order.</param>
/// <param name="Clusters">Clusters in registration order.</param>
/// <param name="ActiveClusters">The active cluster of each caller (and the global one).</param>
/// <param name="KnownTypes">Plugin types this state has seen; a type seen for the first time gets a default instance.</param>
public sealed record RegistryState(
    ImmutableList<PluginInstance> Instances,
    ImmutableList<ClusterInfo> Clusters,
    ActiveClusterMap ActiveClusters,
    ImmutableSortedSet<string> KnownTypes)
{
    /// <summary>An empty state.</summary>
    public static RegistryState Empty { get; } = new([], [], ActiveClusterMap.None, ImmutableSortedSet<string>.Empty);

    /// <summary>The instance with this id, or null.</summary>
    public PluginInstance? FindInstance(string id) => Instances.Find(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The cluster with this id, or null.</summary>
    public ClusterInfo? FindCluster(string id) => Clusters.Find(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The active cluster of <paramref name="caller"/>, if any and still registered.</summary>
    public ClusterInfo? ActiveCluster(CallerKey caller) => ActiveClusters.Get(caller) is { } id ? FindCluster(id) : null;

    /// <summary>This state with <paramref name="clusters"/>; an active cluster that is gone is no longer active for anyone.</summary>
    public RegistryState WithClusters(ImmutableList<ClusterInfo> clusters) => this with
    {
        Clusters = clusters,
        ActiveClusters = ActiveClusters.Keeping(id => clusters.Any(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase))),
    };
}

/// <summary>
/// The active cluster per caller: one global entry (servers without sign-in, and callers that chose none of their
/// own) and one entry per signed-in subject. Immutable.
/// </summary>
/// <param name="Global">The global active cluster id.</param>
/// <param name="BySubject">Active cluster ids by the caller's subject.</param>
public sealed record ActiveClusterMap(string? Global, ImmutableSortedDictionary<string, string> BySubject)
{
    /// <summary>No active cluster for anyone.</summary>
    public static ActiveClusterMap None { get; } = new(null, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The cluster id <paramref name="caller"/> made active; a signed-in caller without one of its own gets the global one.</summary>
    public string? Get(CallerKey caller) =>
        caller.Subject is { } subject && BySubject.TryGetValue(subject, out var own) ? own : Global;

    /// <summary>This map with <paramref name="caller"/>'s entry set to <paramref name="clusterId"/>.</summary>
    public ActiveClusterMap Set(CallerKey caller, string clusterId) => caller.Subject is { } subject
        ? this with { BySubject = BySubject.SetItem(subject, clusterId) }
        : this with { Global = clusterId };

    /// <summary>This map without the entries whose cluster <paramref name="exists"/> says is gone.</summary>
    public ActiveClusterMap Keeping(Func<string, bool> exists)
    {
        var global = Global is { } g && exists(g) ? g : null;
        var gone = BySubject.Where(kv => !exists(kv.Value)).Select(kv => kv.Key).ToList();
        return global == Global && gone.Count == 0 ? this : new ActiveClusterMap(global, BySubject.RemoveRange(gone));
    }
}
