namespace McpCloudTools.Core.Registry;

/// <summary>
/// The active cluster: the one cluster-scoped tools use when a call names none. There is one per caller
/// (<see cref="CallerKey"/>): the global one without sign-in, one per subject with it. Changes go through the
/// <see cref="RegistryStateOwner"/>, so a choice is stored and survives a restart.
/// </summary>
public sealed class ActiveClusters(RegistryStateOwner state)
{
    /// <summary>The active cluster of <paramref name="caller"/>, if any.</summary>
    public ClusterInfo? Get(CallerKey caller) => state.Current.ActiveCluster(caller);

    /// <summary>Makes the cluster <paramref name="id"/> active for <paramref name="caller"/>.</summary>
    public Task<ClusterInfo> ActivateAsync(CallerKey caller, string id, CancellationToken cancellationToken = default) =>
        state.ApplyAsync(current =>
        {
            var cluster = current.FindCluster(id) ?? throw RegistryRules.NoCluster(current, id);
            var already = caller.Subject is { } subject
                ? current.ActiveClusters.BySubject.TryGetValue(subject, out var own) && own == cluster.Id
                : current.ActiveClusters.Global == cluster.Id;
            return (already ? current : current with { ActiveClusters = current.ActiveClusters.Set(caller, cluster.Id) }, cluster);
        }, cancellationToken);
}
