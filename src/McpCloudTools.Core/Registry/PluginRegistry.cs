using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using McpCloudTools.Core.Validation;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// The thread-safe registry of plugin instances, clusters and the active cluster, shared by MCP and the REST API.
/// Every change is persisted before it becomes visible (memory and file never disagree), then the advertised tool
/// collection is brought in line, which makes the SDK send <c>notifications/tools/list_changed</c> to every
/// stateful session.
/// </summary>
public sealed partial class PluginRegistry : IClusterRegistrar
{
    private readonly Lock _gate = new();
    private readonly Lock _toolsGate = new();
    private readonly IStateStore _store;
    private readonly SafetyOptions _safety;
    private readonly ILogger<PluginRegistry> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, HealthReport> _health = new(StringComparer.OrdinalIgnoreCase);
    private volatile RegistryState _state = RegistryState.Empty;
    private bool _loaded;

    /// <summary>Creates the registry; call <see cref="Load"/> before use.</summary>
    public PluginRegistry(ToolCatalog catalog, IStateStore store, SafetyOptions safety, ILogger<PluginRegistry> logger, TimeProvider? time = null)
    {
        Catalog = catalog;
        _store = store;
        _safety = safety;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Plugin types and every tool they declare.</summary>
    public ToolCatalog Catalog { get; }

    /// <summary>The advertised tools, live. Every MCP server instance (stdio, each HTTP session) shares this collection.</summary>
    public McpServerPrimitiveCollection<McpServerTool> Tools { get; } = new();

    /// <summary>The current snapshot.</summary>
    public RegistryState State => _state;

    /// <summary>Plugin instances in creation order.</summary>
    public IReadOnlyList<PluginInstance> Instances => _state.Instances;

    /// <summary>Registered clusters.</summary>
    public IReadOnlyList<ClusterInfo> Clusters => _state.Clusters;

    /// <summary>The active cluster, if any.</summary>
    public ClusterInfo? ActiveCluster => _state.ActiveClusterId is { } id ? _state.FindCluster(id) : null;

    /// <summary>Where the state is kept.</summary>
    public string StateLocation => _store.Location;

    /// <summary>
    /// Loads the saved state (migrating an old schema), gives each plugin type seen for the first time a default
    /// instance, and advertises the enabled types' tools. Throws <see cref="StateFileException"/> on an unusable file.
    /// </summary>
    public void Load()
    {
        lock (_gate)
        {
            RegistryState? loaded;
            try
            {
                loaded = _store.Load();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StateFileException($"The state file {_store.Location} could not be used ({e.Message.TrimEnd('.')}). " +
                    "Fix the folder's permissions or free space, or start with --state <other path> (or --state none).", e);
            }

            var state = loaded ?? RegistryState.Empty;
            foreach (var plugin in Catalog.Plugins)
            {
                var type = plugin.Info.Type;
                if (state.KnownTypes.Contains(type))
                {
                    continue;
                }

                if (!state.Instances.Any(i => i.Type == type))
                {
                    var id = UniqueInstanceId(state, type);
                    state = state with
                    {
                        Instances = state.Instances.Add(new PluginInstance(id, type, plugin.Info.Name, ImmutableSortedDictionary<string, string>.Empty,
                            Enabled: plugin.DefaultInstanceEnabled(Catalog.Services), _time.GetUtcNow())),
                    };
                }

                state = state with { KnownTypes = state.KnownTypes.Add(type) };
            }

            if (loaded is null || !ReferenceEquals(state, loaded))
            {
                try
                {
                    _store.Save(state);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StateFileException($"The state file {_store.Location} could not be written ({e.Message.TrimEnd('.')}). " +
                        "Fix the folder's permissions or free space, or start with --state <other path> (or --state none).", e);
                }
            }

            _state = state;
            _loaded = true;
        }

        SyncTools();
        foreach (var orphan in _state.Instances.Where(i => Catalog.FindPlugin(i.Type) is null))
        {
            LogOrphan(_logger, orphan.Id, orphan.Type);
        }
    }

    /// <summary>The instance with this id.</summary>
    public PluginInstance GetInstance(string id) =>
        _state.FindInstance(id) ?? throw new RegistryException(RegistryErrorKind.NotFound,
            $"No plugin instance {ArgumentText.Show(id)}. Instances: {DescribeInstances(_state.Instances)}.");

    /// <summary>Creates a plugin instance.</summary>
    public PluginInstance CreateInstance(string type, string? id = null, string? displayName = null,
        IReadOnlyDictionary<string, string>? config = null, bool enabled = true)
    {
        var plugin = Catalog.FindPlugin(type ?? "") ?? throw new RegistryException(RegistryErrorKind.Invalid,
            $"Unknown plugin type {ArgumentText.Show(type ?? "")}. Types: {string.Join(", ", Catalog.Plugins.Select(p => p.Info.Type))}.");
        var cleanConfig = ValidateConfig(plugin, config);
        var name = displayName is null ? null : ValidateText(displayName, "displayName", RegistryLimits.DisplayName);
        PluginInstance created = null!;
        Mutate(state =>
        {
            var newId = id is null ? UniqueInstanceId(state, plugin.Info.Type) : ValidateInstanceId(id);
            if (state.FindInstance(newId) is not null)
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"A plugin instance '{newId}' already exists; choose another id or remove it first.");
            }

            created = new PluginInstance(newId, plugin.Info.Type, string.IsNullOrWhiteSpace(name) ? plugin.Info.Name : name,
                cleanConfig, enabled, _time.GetUtcNow());
            return state with { Instances = state.Instances.Add(created) };
        });
        return created;
    }

    /// <summary>Changes an instance's display name and/or replaces its config; cached clients are rebuilt.</summary>
    public PluginInstance UpdateInstance(string id, string? displayName, IReadOnlyDictionary<string, string>? config)
    {
        var name = displayName is null ? null : ValidateText(displayName, "displayName", RegistryLimits.DisplayName);
        PluginInstance updated = null!;
        Mutate(state =>
        {
            var current = state.FindInstance(id) ?? throw NoInstance(state, id);
            var plugin = Catalog.FindPlugin(current.Type);
            updated = current with
            {
                DisplayName = string.IsNullOrWhiteSpace(name) ? current.DisplayName : name,
                Config = config is null ? current.Config : ValidateConfig(plugin, config),
                ConfigVersion = config is null ? current.ConfigVersion : current.ConfigVersion + 1,
            };
            return state with { Instances = state.Instances.Replace(current, updated) };
        });
        return updated;
    }

    /// <summary>Enables or disables an instance. Accepts a plugin type when it has exactly one instance.</summary>
    public PluginInstance SetEnabled(string idOrType, bool enabled)
    {
        PluginInstance updated = null!;
        Mutate(state =>
        {
            var current = FindInstanceOrOnlyOfType(state, idOrType);
            updated = current with { Enabled = enabled };
            return current.Enabled == enabled ? state : state with { Instances = state.Instances.Replace(current, updated) };
        });
        return updated;
    }

    /// <summary>Removes an instance, its discovered clusters and its health record.</summary>
    public void RemoveInstance(string id)
    {
        Mutate(state =>
        {
            var current = state.FindInstance(id) ?? throw NoInstance(state, id);
            var clusters = state.Clusters
                .Where(c => !(c.Source == ClusterSource.Discovered && Same(c.InstanceId, current.Id)))
                .Select(c => Same(c.InstanceId, current.Id) ? c with { InstanceId = null } : c)
                .ToImmutableList();
            return WithClusters(state with { Instances = state.Instances.Remove(current) }, clusters);
        });
        _health.TryRemove(id, out _);
    }

    /// <summary>Registers (or replaces) a cluster by hand.</summary>
    public ClusterInfo RegisterCluster(ClusterInfo cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var plugin = Catalog.FindPlugin(cluster.PluginType ?? "") ?? throw new RegistryException(RegistryErrorKind.Invalid,
            $"Unknown plugin type {ArgumentText.Show(cluster.PluginType ?? "")}. Types: {string.Join(", ", Catalog.Plugins.Select(p => p.Info.Type))}.");
        if (string.IsNullOrWhiteSpace(cluster.Name))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "A cluster needs a name.");
        }

        ValidateText(cluster.Name, "name", RegistryLimits.ClusterName);
        ValidateText(cluster.Region ?? "", "region", RegistryLimits.Region);
        var clusterConfig = ValidateConfig(null, cluster.Config);
        if (plugin.ClusterNameRule(cluster) is { } rule && rule.Problem(cluster.Name) is { } problem)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, ArgumentError.Invalid("name", cluster.Name, problem, rule).Message);
        }

        var id = ValidateClusterId(string.IsNullOrWhiteSpace(cluster.Id) ? $"{plugin.Info.Type}:{cluster.Name}" : cluster.Id);
        var entry = cluster with
        {
            Id = id, PluginType = plugin.Info.Type, Source = ClusterSource.Manual, Region = cluster.Region ?? "",
            Name = cluster.Name.Trim(), Config = clusterConfig,
        };
        Mutate(state =>
        {
            if (entry.InstanceId is { } iid)
            {
                var inst = state.FindInstance(iid) ?? throw NoInstance(state, iid);
                if (inst.Type != entry.PluginType)
                {
                    throw new RegistryException(RegistryErrorKind.Invalid, $"Instance '{iid}' is a {inst.Type} instance; a {entry.PluginType} cluster needs a {entry.PluginType} instance.");
                }
            }

            var existing = state.FindCluster(id);
            return state with { Clusters = existing is null ? state.Clusters.Add(entry) : state.Clusters.Replace(existing, entry) };
        });
        return entry;
    }

    /// <summary>Removes a cluster; the active cluster is cleared if it was this one.</summary>
    public void RemoveCluster(string id) => Mutate(state =>
    {
        var existing = state.FindCluster(id) ?? throw NoCluster(state, id);
        return WithClusters(state, state.Clusters.Remove(existing));
    });

    /// <summary>Makes a cluster the one cluster-scoped tools use when a call names none.</summary>
    public ClusterInfo ActivateCluster(string id)
    {
        ClusterInfo cluster = null!;
        Mutate(state =>
        {
            cluster = state.FindCluster(id) ?? throw NoCluster(state, id);
            return state with { ActiveClusterId = cluster.Id };
        });
        return cluster;
    }

    /// <inheritdoc />
    public void SetDiscoveredClusters(string instanceId, IReadOnlyList<ClusterInfo> clusters) => Mutate(state =>
    {
        var instance = state.FindInstance(instanceId) ?? throw NoInstance(state, instanceId);
        var list = state.Clusters.Where(c => !(c.Source == ClusterSource.Discovered && Same(c.InstanceId, instance.Id))).ToList();
        foreach (var found in clusters)
        {
            var entry = found with
            {
                Source = ClusterSource.Discovered, InstanceId = instance.Id, PluginType = instance.Type,
                Config = found.Config.ToImmutableSortedDictionary(StringComparer.Ordinal),
            };
            if (list.Any(c => string.Equals(c.Id, entry.Id, StringComparison.OrdinalIgnoreCase)))
            {
                entry = entry with { Id = $"{entry.Id}@{instance.Id}" };
            }

            if (list.Any(c => string.Equals(c.Id, entry.Id, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var previous = state.FindCluster(entry.Id);
            list.Add(previous is not null && previous.Source == ClusterSource.Discovered && ClusterEquals(previous, entry) ? previous : entry);
        }

        return Unchanged(state.Clusters, list) ? state : WithClusters(state, [.. list]);
    });

    /// <summary>The instance a tool of <paramref name="type"/> should use: the named one, else the default.</summary>
    public PluginInstance ResolveInstance(string type, string? instanceId)
    {
        var state = _state;
        if (!string.IsNullOrWhiteSpace(instanceId))
        {
            var named = state.FindInstance(instanceId.Trim()) ?? throw new RegistryException(RegistryErrorKind.NotFound,
                $"No {type} instance '{instanceId}'. {type} instances: {DescribeInstances(state.Instances.Where(i => i.Type == type))}.");
            if (named.Type != type)
            {
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Instance '{named.Id}' is a {named.Type} instance. {type} instances: {DescribeInstances(state.Instances.Where(i => i.Type == type))}.");
            }

            return named.Enabled ? named : throw new RegistryException(RegistryErrorKind.Invalid,
                $"Instance '{named.Id}' is disabled; enable it with plugin_enable or use another: {DescribeInstances(state.Instances.Where(i => i.Type == type))}.");
        }

        if (ActiveCluster is { } active && active.PluginType == type && active.InstanceId is { } aid &&
            state.FindInstance(aid) is { Enabled: true } activeInstance)
        {
            return activeInstance;
        }

        return state.Instances.FirstOrDefault(i => i.Type == type && i.Enabled) ?? throw new RegistryException(RegistryErrorKind.Invalid,
            $"No enabled {type} instance. {type} instances: {DescribeInstances(state.Instances.Where(i => i.Type == type))}; " +
            "enable one with plugin_enable, or create one (POST /api/plugins).");
    }

    /// <summary>
    /// The cluster a cluster-scoped tool of <paramref name="type"/> should use: the named one, else the active
    /// cluster when it is of this type, else the only cluster of this type. Null when none can be chosen; then
    /// <paramref name="problem"/> says why and what to pass.
    /// </summary>
    public ClusterInfo? TryResolveCluster(string type, string? clusterId, out string problem)
    {
        var state = _state;
        var ofType = state.Clusters.Where(c => c.PluginType == type).ToList();
        var choices = ofType.Count == 0 ? "none registered yet" : string.Join(", ", ofType.Select(c => c.Id));
        problem = "";
        if (!string.IsNullOrWhiteSpace(clusterId))
        {
            var wanted = clusterId.Trim();
            var found = ofType.FirstOrDefault(c => string.Equals(c.Id, wanted, StringComparison.OrdinalIgnoreCase))
                ?? ofType.FirstOrDefault(c => string.Equals(c.Name, wanted, StringComparison.OrdinalIgnoreCase) && ofType.Count(x => x.Name == c.Name) == 1);
            if (found is null)
            {
                problem = state.FindCluster(wanted) is { } other
                    ? $"Cluster '{other.Id}' is a {other.PluginType} cluster, not {type}. {type} clusters: {choices}."
                    : $"No {type} cluster {ArgumentText.Show(wanted)} (cluster_id). {type} clusters: {choices}. clusters_list shows all.";
            }

            return found;
        }

        if (ActiveCluster is { } active && active.PluginType == type)
        {
            return active;
        }

        if (ofType.Count == 1)
        {
            return ofType[0];
        }

        problem = ofType.Count == 0
            ? $"No {type} cluster is registered. clusters_list discovers them; register one with POST /api/clusters."
            : $"Pass cluster_id (one of: {choices}) or make one active with cluster_activate" +
              (ActiveCluster is { } a ? $"; the active cluster '{a.Id}' is a {a.PluginType} cluster." : ".");
        return null;
    }

    /// <summary>The last health report of an instance.</summary>
    public HealthReport? LastHealth(string instanceId) => _health.TryGetValue(instanceId, out var h) ? h : null;

    /// <summary>Records an instance's health (runtime only).</summary>
    public void RecordHealth(string instanceId, HealthReport report) => _health[instanceId] = report;

    private void Mutate(Func<RegistryState, RegistryState> change)
    {
        lock (_gate)
        {
            if (!_loaded)
            {
                throw new InvalidOperationException("The registry is not loaded.");
            }

            var next = change(_state);
            if (ReferenceEquals(next, _state))
            {
                return;
            }

            // Persist first: if the write fails, nothing changes and the caller gets the error.
            try
            {
                _store.Save(next);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"The change was not made: the state file {_store.Location} could not be written ({e.Message}).", e);
            }

            _state = next;
        }

        SyncTools();
    }

    /// <summary>Brings the advertised tools in line with the latest state; concurrent calls converge on it.</summary>
    private void SyncTools()
    {
        lock (_toolsGate)
        {
            var state = _state;
            var enabledTypes = state.Instances.Where(i => i.Enabled).Select(i => i.Type).ToHashSet(StringComparer.Ordinal);
            var desired = Catalog.ManagementTools
                .Concat(Catalog.Plugins.Where(p => enabledTypes.Contains(p.Info.Type)).SelectMany(p => Catalog.ToolsOf(p.Info.Type)))
                .Where(t => t.PluginType is null || _safety.Permits(t.Access))
                .Select(t => t.Tool)
                .ToList();
            var desiredNames = desired.Select(t => t.ProtocolTool.Name).ToHashSet(StringComparer.Ordinal);
            var stale = Tools.Where(t => !desiredNames.Contains(t.ProtocolTool.Name)).ToList();
            var missing = desired.Where(t => !Tools.Contains(t)).ToList();
            if (stale.Count == 0 && missing.Count == 0)
            {
                return;
            }

            using (Tools.DeferChangedEvents())
            {
                foreach (var t in stale)
                {
                    Tools.Remove(t);
                }

                foreach (var t in missing)
                {
                    Tools.TryAdd(t);
                }
            }

            LogToolsChanged(_logger, Tools.Count, missing.Count, stale.Count);
        }
    }

    private static RegistryState WithClusters(RegistryState state, ImmutableList<ClusterInfo> clusters) => state with
    {
        Clusters = clusters,
        ActiveClusterId = state.ActiveClusterId is { } a && clusters.Any(c => string.Equals(c.Id, a, StringComparison.OrdinalIgnoreCase)) ? a : null,
    };

    private static bool Unchanged(ImmutableList<ClusterInfo> before, List<ClusterInfo> after) =>
        before.Count == after.Count && before.Zip(after).All(p => ReferenceEquals(p.First, p.Second));

    private static bool ClusterEquals(ClusterInfo a, ClusterInfo b) =>
        a.Id == b.Id && a.Name == b.Name && a.Region == b.Region && a.PluginType == b.PluginType && a.InstanceId == b.InstanceId &&
        a.Config.Count == b.Config.Count && a.Config.All(kv => b.Config.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static PluginInstance FindInstanceOrOnlyOfType(RegistryState state, string idOrType)
    {
        if (state.FindInstance(idOrType) is { } byId)
        {
            return byId;
        }

        var ofType = state.Instances.Where(i => string.Equals(i.Type, idOrType, StringComparison.OrdinalIgnoreCase)).ToList();
        return ofType.Count == 1 ? ofType[0] : throw NoInstance(state, idOrType);
    }

    private static RegistryException NoInstance(RegistryState state, string id) =>
        new(RegistryErrorKind.NotFound, $"No plugin instance {ArgumentText.Show(id)}. Instances: {DescribeInstances(state.Instances)}.");

    private static RegistryException NoCluster(RegistryState state, string id) =>
        new(RegistryErrorKind.NotFound, $"No cluster {ArgumentText.Show(id)}. Clusters: " +
            (state.Clusters.Count == 0 ? "none registered yet (clusters_list discovers them)" : string.Join(", ", state.Clusters.Select(c => c.Id))) + ".");

    private static string DescribeInstances(IEnumerable<PluginInstance> instances)
    {
        var list = instances.Select(i => i.Enabled ? i.Id : $"{i.Id} (disabled)").ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static string UniqueInstanceId(RegistryState state, string type)
    {
        var id = type;
        for (var n = 2; state.FindInstance(id) is not null; n++)
        {
            id = $"{type}-{n}";
        }

        return id;
    }

    private static string ValidateInstanceId(string id)
    {
        var trimmed = id.Trim();
        return InstanceIdPattern().IsMatch(trimmed) ? trimmed : throw new RegistryException(RegistryErrorKind.Invalid,
            $"Invalid instance id {ArgumentText.Show(id)}: use 1-63 lower-case letters, digits and dashes (e.g. ec2-prod).");
    }

    private static string ValidateClusterId(string id)
    {
        var trimmed = id.Trim();
        return ClusterIdPattern().IsMatch(trimmed) ? trimmed : throw new RegistryException(RegistryErrorKind.Invalid,
            $"Invalid cluster id {ArgumentText.Show(id)}: use up to 128 letters, digits and . _ : @ / - (e.g. eks:prod).");
    }

    private static ImmutableSortedDictionary<string, string> ValidateConfig(PluginBase? plugin, IReadOnlyDictionary<string, string>? config)
    {
        config ??= ImmutableSortedDictionary<string, string>.Empty;
        if (config.Count > RegistryLimits.ConfigEntries)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"config has {config.Count} keys; at most {RegistryLimits.ConfigEntries} are accepted.");
        }

        foreach (var (key, value) in config)
        {
            if (!ConfigKeyPattern().IsMatch(key.Trim()))
            {
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Invalid config key {ArgumentText.Show(key)}: use 1-{RegistryLimits.ConfigKey} letters, digits and _ . - (e.g. region).");
            }

            ValidateText(value ?? "", $"config.{key.Trim()}", RegistryLimits.ConfigValue);
        }

        var clean = config
            .Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
            .ToImmutableSortedDictionary(kv => kv.Key.Trim(), kv => kv.Value.Trim(), StringComparer.Ordinal);
        if (plugin is { ConfigKeys.Count: > 0 })
        {
            var unknown = clean.Keys.Where(k => !plugin.ConfigKeys.Any(c => c.Name == k)).ToList();
            if (unknown.Count > 0)
            {
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Unknown config key(s) for {plugin.Info.Type}: {string.Join(", ", unknown)}. Valid keys: {string.Join(", ", plugin.ConfigKeys.Select(c => c.Name))}.");
            }
        }

        if (plugin?.ValidateConfig(clean) is { } problem)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"Invalid config for {plugin.Info.Type}: {problem}");
        }

        return clean;
    }

    /// <summary>A free text of the registry (display name, cluster name, config value): bounded, one line, printable.</summary>
    private static string ValidateText(string value, string field, int max)
    {
        var trimmed = value.Trim();
        if (trimmed.Length > max)
        {
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"'{field}' is {trimmed.Length:N0} characters long ({ArgumentText.Show(trimmed)}); at most {max} are accepted.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"'{field}' contains a control character (a line break, tab or NUL); use printable text.");
        }

        return trimmed;
    }

    /// <summary>A user's value as echoed in a message: a short prefix, never the whole of a long one.</summary>
    [LoggerMessage(LogLevel.Warning, "Plugin instance {Instance} has type {Type}, which this build does not have; it is kept but serves nothing")]
    private static partial void LogOrphan(ILogger logger, string instance, string type);

    [LoggerMessage(LogLevel.Information, "Advertised tools changed: {Count} tools (+{Added} -{Removed})")]
    private static partial void LogToolsChanged(ILogger logger, int count, int added, int removed);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$")]
    private static partial Regex ClusterIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ConfigKeyPattern();
}
