using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// The resolution policy: which instance or cluster a call of a plugin type uses. An instance: the named one, else
/// the instance of the caller's active cluster (when of this type), else the type's first enabled one. A cluster:
/// the named one (id, or a unique name), else the caller's active cluster (when of this type), else the type's only
/// cluster. Reads the current snapshot; changes nothing.
/// </summary>
public sealed class TargetResolver(RegistryStateOwner state)
{
    /// <summary>The instance a call of <paramref name="type"/> should use; throws a <see cref="RegistryException"/> saying why none can be.</summary>
    public PluginInstance ResolveInstance(string type, string? instanceId, CallerKey caller)
    {
        var current = state.Current;
        string OfType() => RegistryRules.DescribeInstances(current.Instances.Where(i => i.Type == type));
        if (!string.IsNullOrWhiteSpace(instanceId))
        {
            var named = current.FindInstance(instanceId.Trim()) ?? throw new RegistryException(RegistryErrorKind.NotFound,
                $"No {type} instance {ArgumentText.Show(instanceId)}. {type} instances: {OfType()}.");
            if (named.Type != type)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, $"Instance '{named.Id}' is a {named.Type} instance. {type} instances: {OfType()}.");
            }

            return named.Enabled ? named : throw new RegistryException(RegistryErrorKind.Invalid,
                $"Instance '{named.Id}' is disabled. {type} instances: {OfType()}.", RegistryRemedy.EnableInstance);
        }

        if (current.ActiveCluster(caller) is { } active && active.PluginType == type && active.InstanceId is { } activeId &&
            current.FindInstance(activeId) is { Enabled: true } activeInstance)
        {
            return activeInstance;
        }

        return current.Instances.FirstOrDefault(i => i.Type == type && i.Enabled) ?? throw new RegistryException(RegistryErrorKind.Invalid,
            $"No enabled {type} instance. {type} instances: {OfType()}.", RegistryRemedy.EnableOrCreateInstance);
    }

    /// <summary>
    /// The cluster a cluster-scoped call of <paramref name="type"/> should act on, or null when none can be chosen;
    /// then <paramref name="problem"/> says why and what is valid.
    /// </summary>
    public ClusterInfo? TryResolveCluster(string type, string? clusterId, CallerKey caller, out RegistryException? problem)
    {
        var current = state.Current;
        var ofType = current.Clusters.Where(c => c.PluginType == type).ToList();
        var choices = ofType.Count == 0 ? "none registered yet" : string.Join(", ", ofType.Select(c => c.Id));
        problem = null;
        if (!string.IsNullOrWhiteSpace(clusterId))
        {
            var wanted = clusterId.Trim();
            var found = ofType.FirstOrDefault(c => RegistryRules.Same(c.Id, wanted))
                ?? ofType.FirstOrDefault(c => RegistryRules.Same(c.Name, wanted) && ofType.Count(x => x.Name == c.Name) == 1);
            if (found is null)
            {
                problem = current.FindCluster(wanted) is { } other
                    ? new RegistryException(RegistryErrorKind.Invalid, $"Cluster '{other.Id}' is a {other.PluginType} cluster, not {type}. {type} clusters: {choices}.")
                    : new RegistryException(RegistryErrorKind.NotFound, $"No {type} cluster {ArgumentText.Show(wanted)} (cluster_id). {type} clusters: {choices}.",
                        RegistryRemedy.ListClusters);
            }

            return found;
        }

        var active = current.ActiveCluster(caller);
        if (active is not null && active.PluginType == type)
        {
            return active;
        }

        if (ofType.Count == 1)
        {
            return ofType[0];
        }

        problem = ofType.Count == 0
            ? new RegistryException(RegistryErrorKind.NotFound, $"No {type} cluster is registered.", RegistryRemedy.DiscoverClusters)
            : new RegistryException(RegistryErrorKind.Invalid, $"Pass cluster_id (one of: {choices})" +
                (active is not null ? $"; the active cluster '{active.Id}' is a {active.PluginType} cluster." : "."), RegistryRemedy.ActivateCluster);
        return null;
    }
}
