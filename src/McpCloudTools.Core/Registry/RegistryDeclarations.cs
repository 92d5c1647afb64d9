using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Registry;

/// <summary>A plugin instance as the server's configuration declares it (<c>McpCloudTools:Instances:&lt;id&gt;</c>), before validation.</summary>
/// <param name="KeyPath">Where it was declared, for messages (<c>McpCloudTools:Instances:eks-prod</c>).</param>
/// <param name="Id">The instance id.</param>
/// <param name="Type">The plugin type.</param>
/// <param name="DisplayName">A label, or null for the type's name.</param>
/// <param name="Enabled">Whether it serves tools.</param>
/// <param name="Config">Its config; keys match the plugin's keys case-insensitively (environment variables are upper-case).</param>
public sealed record DeclaredInstance(string KeyPath, string Id, string? Type, string? DisplayName, bool Enabled, IReadOnlyDictionary<string, string> Config);

/// <summary>A cluster as the server's configuration declares it (<c>McpCloudTools:Clusters:&lt;key&gt;</c>), before validation.</summary>
/// <param name="KeyPath">Where it was declared, for messages.</param>
/// <param name="Id">The cluster id, or null for <c>&lt;plugin&gt;:&lt;name&gt;</c>.</param>
/// <param name="Plugin">The plugin type that serves it.</param>
/// <param name="Name">The service's name for it.</param>
/// <param name="Region">AWS region, or null.</param>
/// <param name="Instance">The instance that serves it, or null for the type's default.</param>
/// <param name="Config">Plugin-specific settings (kubeconfig context, ARN…).</param>
public sealed record DeclaredCluster(string KeyPath, string? Id, string? Plugin, string? Name, string? Region, string? Instance,
    IReadOnlyDictionary<string, string> Config);

/// <summary>A declaration in the server's configuration that cannot be used; the message starts with its key path.</summary>
public sealed class DeclarationException(string message) : Exception(message);

/// <summary>
/// Plugin instances and clusters declared in the server's configuration (appsettings.json, <c>MCPCLOUDTOOLS__…</c>
/// environment variables, a Helm config map), and the rules that merge them with the stored state. The
/// <see cref="RegistryStateOwner"/> applies them on top of every state it loads and takes them out of every state it
/// stores, so a store never holds a declaration:
/// <list type="bullet">
/// <item>a declared instance or cluster replaces a stored one with the same id (in its place), or is added after the stored ones;</item>
/// <item>it is marked (<see cref="PluginInstance.DeclaredAt"/>, <see cref="ClusterSource.Declared"/>) and no REST or MCP
/// change (config, name, enable/disable, removal, replacement) applies to it: the configuration is the source of truth;</item>
/// <item>removing a declaration removes it at the next start, unless an instance or cluster of that id was stored before,
/// which then shows again as it was stored.</item>
/// </list>
/// Each declaration is validated at start like a REST creation (id, type, the plugin's typed config, the cluster name rule).
/// </summary>
public sealed class RegistryDeclarations(IReadOnlyList<DeclaredInstance> instances, IReadOnlyList<DeclaredCluster> clusters)
{
    private ImmutableList<PluginInstance> _instances = [];
    private ImmutableList<ClusterInfo> _clusters = [];

    /// <summary>No declarations.</summary>
    public static RegistryDeclarations None => new([], []);

    /// <summary>The declared instances, as given.</summary>
    public IReadOnlyList<DeclaredInstance> DeclaredInstances => instances;

    /// <summary>The declared clusters, as given.</summary>
    public IReadOnlyList<DeclaredCluster> DeclaredClusters => clusters;

    /// <summary>
    /// Validates every declaration against the plugin types of this build, as a REST creation would be. Throws a
    /// <see cref="DeclarationException"/> naming the first bad declaration's key path.
    /// </summary>
    public void Resolve(ToolCatalog catalog, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var resolved = ImmutableList.CreateBuilder<PluginInstance>();
        foreach (var d in instances)
        {
            resolved.Add(Declaration(d.KeyPath, () =>
            {
                var id = RegistryRules.InstanceId(d.Id);
                if (resolved.Any(i => RegistryRules.Same(i.Id, id)))
                {
                    throw new RegistryException(RegistryErrorKind.Conflict, $"instance '{id}' is declared twice.");
                }

                var plugin = string.IsNullOrWhiteSpace(d.Type)
                    ? throw new RegistryException(RegistryErrorKind.Invalid, $"Type is missing; set it to one of {string.Join(", ", catalog.Plugins.Select(p => p.Info.Type))}.")
                    : RegistryRules.PluginType(catalog, d.Type.Trim());
                var name = d.DisplayName is null ? null : RegistryRules.Text(d.DisplayName, "DisplayName", RegistryLimits.DisplayName);
                var config = RegistryRules.ParsedConfig(plugin, KnownKeys(plugin, d.Config));
                return new PluginInstance(id, plugin.Info.Type, string.IsNullOrWhiteSpace(name) ? plugin.Info.Name : name, config, d.Enabled, now)
                {
                    DeclaredAt = d.KeyPath,
                };
            }));
        }

        var resolvedClusters = ImmutableList.CreateBuilder<ClusterInfo>();
        foreach (var d in clusters)
        {
            resolvedClusters.Add(Declaration(d.KeyPath, () =>
            {
                var plugin = string.IsNullOrWhiteSpace(d.Plugin)
                    ? throw new RegistryException(RegistryErrorKind.Invalid, $"Plugin is missing; set it to one of {string.Join(", ", catalog.Plugins.Select(p => p.Info.Type))}.")
                    : RegistryRules.PluginType(catalog, d.Plugin.Trim());
                var cluster = RegistryRules.ManualCluster(plugin, new ClusterInfo(d.Id ?? "", d.Name ?? "", d.Region ?? "", plugin.Info.Type,
                    string.IsNullOrWhiteSpace(d.Instance) ? null : RegistryRules.InstanceId(d.Instance), d.Config)) with
                {
                    Source = ClusterSource.Declared, DeclaredAt = d.KeyPath,
                };
                if (resolvedClusters.Any(c => RegistryRules.Same(c.Id, cluster.Id)))
                {
                    throw new RegistryException(RegistryErrorKind.Conflict, $"cluster '{cluster.Id}' is declared twice.");
                }

                if (cluster.InstanceId is { } instanceId && resolved.Find(i => RegistryRules.Same(i.Id, instanceId)) is { } instance && instance.Type != cluster.PluginType)
                {
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"Instance '{instanceId}' is a {instance.Type} instance; a {cluster.PluginType} cluster needs a {cluster.PluginType} instance.");
                }

                return cluster;
            }));
        }

        _instances = resolved.ToImmutable();
        _clusters = resolvedClusters.ToImmutable();
    }

    /// <summary>
    /// Checks what only the merged state can tell (a declared cluster's instance exists and has its type); throws a
    /// <see cref="DeclarationException"/> naming the cluster's key path.
    /// </summary>
    public void Check(RegistryState merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        foreach (var c in _clusters.Where(c => c.InstanceId is not null))
        {
            var instance = merged.FindInstance(c.InstanceId!);
            if (instance is null || instance.Type != c.PluginType)
            {
                throw new DeclarationException($"{c.DeclaredAt}:Instance: no {c.PluginType} instance '{c.InstanceId}'. " +
                    $"{c.PluginType} instances: {RegistryRules.DescribeInstances(merged.Instances.Where(i => i.Type == c.PluginType))}.");
            }
        }
    }

    /// <summary>The state with the declarations applied on top of <paramref name="stored"/>.</summary>
    public RegistryState Overlay(RegistryState stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_instances.IsEmpty && _clusters.IsEmpty)
        {
            return stored;
        }

        var instances = stored.Instances.Select(i => _instances.Find(d => RegistryRules.Same(d.Id, i.Id)) is { } d
            ? d with { CreatedAt = i.CreatedAt, ConfigVersion = i.ConfigVersion }
            : i).ToImmutableList();
        instances = instances.AddRange(_instances.Where(d => stored.FindInstance(d.Id) is null));
        var clusters = stored.Clusters.Select(c => _clusters.Find(d => RegistryRules.Same(d.Id, c.Id)) ?? c).ToImmutableList();
        clusters = clusters.AddRange(_clusters.Where(d => stored.FindCluster(d.Id) is null));
        return stored with { Instances = instances, Clusters = clusters };
    }

    /// <summary>
    /// What to store for the merged state <paramref name="merged"/>: the declarations taken out again, a stored entry
    /// they covered put back as it was in <paramref name="stored"/>.
    /// </summary>
    public RegistryState Strip(RegistryState merged, RegistryState stored)
    {
        ArgumentNullException.ThrowIfNull(merged);
        ArgumentNullException.ThrowIfNull(stored);
        if (_instances.IsEmpty && _clusters.IsEmpty)
        {
            return merged;
        }

        var instances = merged.Instances.Select(i => i.DeclaredAt is null ? i : stored.FindInstance(i.Id)).OfType<PluginInstance>().ToImmutableList();
        var clusters = merged.Clusters.Select(c => c.Source != ClusterSource.Declared ? c : stored.FindCluster(c.Id)).OfType<ClusterInfo>().ToImmutableList();
        return merged with { Instances = instances, Clusters = clusters };
    }

    private static Dictionary<string, string> KnownKeys(PluginBase plugin, IReadOnlyDictionary<string, string> config) =>
        config.ToDictionary(
            kv => plugin.ConfigKeys.FirstOrDefault(k => string.Equals(k.Name, kv.Key, StringComparison.OrdinalIgnoreCase))?.Name ?? kv.Key,
            kv => kv.Value, StringComparer.Ordinal);

    private static T Declaration<T>(string keyPath, Func<T> resolve)
    {
        try
        {
            return resolve();
        }
        catch (RegistryException e)
        {
            throw new DeclarationException($"{keyPath}: {e.Message}");
        }
    }
}
