using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// Plugin instances: create, reconfigure, enable, disable, remove, each validated before it is applied (ids, display
/// names, and the config parsed by the instance's plugin into its typed settings), and the first-start default
/// instance of each plugin type. Changes go through the <see cref="RegistryStateOwner"/>.
/// </summary>
public sealed partial class InstanceRegistry(RegistryStateOwner state, ToolCatalog catalog, ToolAdvertiser tools, RegistryDeclarations declarations,
    IServiceProvider services, TimeProvider time, ILogger<InstanceRegistry> logger)
{
    /// <summary>Plugin instances in creation order.</summary>
    public IReadOnlyList<PluginInstance> All => state.Current.Instances;

    /// <summary>
    /// Validates the instances and clusters the configuration declares, loads the stored state with them on top, gives
    /// each plugin type seen for the first time (and not declared) a default instance, and checks the tools of every
    /// enabled type (a broken one stops the start). Throws <see cref="State.StateFileException"/> on an unusable store
    /// and <see cref="DeclarationException"/> on a bad declaration.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        declarations.Resolve(catalog, time.GetUtcNow());
        await state.LoadAsync(AddDefaultInstances, cancellationToken).ConfigureAwait(false);
        declarations.Check(state.Current);
        foreach (var type in state.Current.Instances.Where(i => i.Enabled).Select(i => i.Type).Distinct().Where(t => catalog.FindPlugin(t) is not null))
        {
            tools.Prepare(type);
        }

        tools.Sync();
        foreach (var orphan in state.Current.Instances.Where(i => catalog.FindPlugin(i.Type) is null))
        {
            LogOrphan(logger, orphan.Id, orphan.Type);
        }
    }

    /// <summary>The instance with this id.</summary>
    public PluginInstance Get(string id) => state.Current.FindInstance(id) ?? throw RegistryRules.NoInstance(state.Current, id);

    /// <summary>Creates a plugin instance; its config is parsed by its plugin first, and its type's tools checked when it is enabled.</summary>
    public Task<PluginInstance> CreateAsync(string type, string? id = null, string? displayName = null,
        IReadOnlyDictionary<string, string>? config = null, bool enabled = true, CancellationToken cancellationToken = default)
    {
        var plugin = RegistryRules.PluginType(catalog, type);
        var clean = RegistryRules.ParsedConfig(plugin, config);
        var name = displayName is null ? null : RegistryRules.Text(displayName, "displayName", RegistryLimits.DisplayName);
        var newId = id is null ? null : RegistryRules.InstanceId(id);
        if (enabled)
        {
            tools.Prepare(plugin.Info.Type);
        }

        return state.ApplyAsync(current =>
        {
            var chosen = newId ?? UniqueInstanceId(current, plugin.Info.Type);
            if (current.FindInstance(chosen) is not null)
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"A plugin instance '{chosen}' already exists; choose another id or remove it first.");
            }

            var created = new PluginInstance(chosen, plugin.Info.Type, string.IsNullOrWhiteSpace(name) ? plugin.Info.Name : name,
                clean, enabled, time.GetUtcNow());
            return (current with { Instances = current.Instances.Add(created) }, created);
        }, cancellationToken);
    }

    /// <summary>Changes an instance's display name and/or replaces its config (parsed by its plugin first); its cached objects are rebuilt.</summary>
    public async Task<PluginInstance> UpdateAsync(string id, string? displayName, IReadOnlyDictionary<string, string>? config,
        CancellationToken cancellationToken = default)
    {
        var name = displayName is null ? null : RegistryRules.Text(displayName, "displayName", RegistryLimits.DisplayName);
        var existing = state.Current.FindInstance(id);
        if (existing is null)
        {
            // Perhaps created through another replica whose change has not reached this one yet.
            var fresh = await state.FreshAsync(cancellationToken).ConfigureAwait(false);
            existing = fresh.FindInstance(id) ?? throw RegistryRules.NoInstance(fresh, id);
        }

        var clean = config is null ? null : RegistryRules.ParsedConfig(catalog.FindPlugin(existing.Type), config);
        return await state.ApplyAsync(current =>
        {
            var instance = RegistryRules.NotDeclared(current.FindInstance(id) ?? throw RegistryRules.NoInstance(current, id));
            if (clean is not null && instance.Type != existing.Type)
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"Instance '{instance.Id}' was replaced by a {instance.Type} instance meanwhile; read it again.");
            }

            var updated = instance with
            {
                DisplayName = string.IsNullOrWhiteSpace(name) ? instance.DisplayName : name,
                Config = clean ?? instance.Config,
                ConfigVersion = clean is null ? instance.ConfigVersion : instance.ConfigVersion + 1,
            };
            return (current with { Instances = current.Instances.Replace(instance, updated) }, updated);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enables or disables an instance (a plugin type names its only instance). Enabling checks the type's tools first.</summary>
    public Task<PluginInstance> SetEnabledAsync(string idOrType, bool enabled, CancellationToken cancellationToken = default)
    {
        // The instance is looked up inside the change, on the state it is computed on: this server's copy may not
        // have another replica's latest change yet, and the state owner computes a refusal again on the stored state.
        return state.ApplyAsync(current =>
        {
            var instance = RegistryRules.NotDeclared(FindInstanceOrOnlyOfType(current, idOrType));
            if (enabled && catalog.FindPlugin(instance.Type) is not null)
            {
                tools.Prepare(instance.Type);
            }

            var updated = instance with { Enabled = enabled };
            return (instance.Enabled == enabled ? current : current with { Instances = current.Instances.Replace(instance, updated) }, updated);
        }, cancellationToken);
    }

    /// <summary>Removes an instance and the clusters it discovered; clusters registered by hand for it fall back to the type's default instance.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken = default) => state.ApplyAsync(current =>
    {
        var instance = RegistryRules.NotDeclared(current.FindInstance(id) ?? throw RegistryRules.NoInstance(current, id));
        var clusters = current.Clusters
            .Where(c => !(c.Source == ClusterSource.Discovered && RegistryRules.Same(c.InstanceId, instance.Id)))
            .Select(c => RegistryRules.Same(c.InstanceId, instance.Id) ? c with { InstanceId = null } : c)
            .ToImmutableList();
        return (current with { Instances = current.Instances.Remove(instance) }).WithClusters(clusters);
    }, cancellationToken);

    private RegistryState AddDefaultInstances(RegistryState loaded)
    {
        var next = loaded;
        foreach (var plugin in catalog.Plugins)
        {
            var type = plugin.Info.Type;
            if (next.KnownTypes.Contains(type))
            {
                continue;
            }

            if (!next.Instances.Any(i => i.Type == type))
            {
                next = next with
                {
                    Instances = next.Instances.Add(new PluginInstance(UniqueInstanceId(next, type), type, plugin.Info.Name,
                        ImmutableSortedDictionary<string, string>.Empty, plugin.DefaultInstanceEnabled(services), time.GetUtcNow())),
                };
            }

            next = next with { KnownTypes = next.KnownTypes.Add(type) };
        }

        return next;
    }

    private static PluginInstance FindInstanceOrOnlyOfType(RegistryState current, string idOrType)
    {
        if (current.FindInstance(idOrType) is { } byId)
        {
            return byId;
        }

        var ofType = current.Instances.Where(i => string.Equals(i.Type, idOrType, StringComparison.OrdinalIgnoreCase)).ToList();
        return ofType.Count == 1 ? ofType[0] : throw RegistryRules.NoInstance(current, idOrType);
    }

    private static string UniqueInstanceId(RegistryState current, string type)
    {
        var id = type;
        for (var n = 2; current.FindInstance(id) is not null; n++)
        {
            id = $"{type}-{n}";
        }

        return id;
    }

    [LoggerMessage(LogLevel.Warning, "Plugin instance {Instance} has type {Type}, which this build does not have; it is kept but serves nothing")]
    private static partial void LogOrphan(ILogger logger, string instance, string type);
}
