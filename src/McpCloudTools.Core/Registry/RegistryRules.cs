using System.Collections.Immutable;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// What the registry accepts as ids, free texts and raw config entries (bounded by <see cref="RegistryLimits"/>), and
/// the wording of its refusals; shared by the instance and cluster pieces.
/// </summary>
internal static partial class RegistryRules
{
    /// <summary>A free text of the registry (display name, cluster name, config value): bounded, one line, printable.</summary>
    public static string Text(string value, string field, int max)
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

    public static string InstanceId(string id)
    {
        var trimmed = id.Trim();
        return InstanceIdPattern().IsMatch(trimmed) ? trimmed : throw new RegistryException(RegistryErrorKind.Invalid,
            $"Invalid instance id {ArgumentText.Show(id)}: use 1-63 lower-case letters, digits and dashes (e.g. ec2-prod).");
    }

    public static string ClusterId(string id)
    {
        var trimmed = id.Trim();
        return ClusterIdPattern().IsMatch(trimmed) ? trimmed : throw new RegistryException(RegistryErrorKind.Invalid,
            $"Invalid cluster id {ArgumentText.Show(id)}: use up to 128 letters, digits and . _ : @ / - (e.g. eks:prod).");
    }

    /// <summary>
    /// A raw config as stored: bounded, keys of the allowed shape and (when <paramref name="plugin"/> declares its keys)
    /// known, values one printable line; blank values dropped, keys and values trimmed.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> Config(PluginBase? plugin, IReadOnlyDictionary<string, string>? config)
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

            Text(value ?? "", $"config.{key.Trim()}", RegistryLimits.ConfigValue);
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

        return clean;
    }

    public static ImmutableSortedDictionary<string, string> ParsedConfig(PluginBase? plugin, IReadOnlyDictionary<string, string>? config)
    {
        var clean = Config(plugin, config);
        if (plugin is null)
        {
            return clean;
        }

        try
        {
            plugin.ParseSettings(new ConfigReader(clean));
        }
        catch (InvalidConfigException e)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"Invalid config for {plugin.Info.Type}: {e.Message}");
        }

        return clean;
    }

    /// <summary>A cluster registered by hand (or declared), checked and normalised: its id (default <c>type:name</c>), name, region, config.</summary>
    public static ClusterInfo ManualCluster(PluginBase plugin, ClusterInfo cluster)
    {
        if (string.IsNullOrWhiteSpace(cluster.Name))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "A cluster needs a name.");
        }

        Text(cluster.Name, "name", RegistryLimits.ClusterName);
        Text(cluster.Region ?? "", "region", RegistryLimits.Region);
        var config = Config(null, cluster.Config);
        if (plugin.ClusterNameRule(cluster) is { } rule && rule.Problem(cluster.Name) is { } problem)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, ArgumentError.Invalid("name", cluster.Name, problem, rule).Message);
        }

        var id = ClusterId(string.IsNullOrWhiteSpace(cluster.Id) ? $"{plugin.Info.Type}:{cluster.Name}" : cluster.Id);
        return cluster with
        {
            Id = id, PluginType = plugin.Info.Type, Source = ClusterSource.Manual, Region = cluster.Region ?? "",
            Name = cluster.Name.Trim(), Config = config,
        };
    }

    /// <summary>Refuses a change to an instance the server's configuration declares.</summary>
    public static PluginInstance NotDeclared(PluginInstance instance) => instance.DeclaredAt is { } at
        ? throw new RegistryException(RegistryErrorKind.Conflict, $"Plugin instance '{instance.Id}' is declared in the server's configuration ({at}), " +
            "which wins over changes made while it runs; change or remove it there (appsettings.json, MCPCLOUDTOOLS__INSTANCES__… variables) and restart.")
        : instance;

    /// <summary>Refuses a change to a cluster the server's configuration declares.</summary>
    public static ClusterInfo NotDeclared(ClusterInfo cluster) => cluster.DeclaredAt is { } at
        ? throw new RegistryException(RegistryErrorKind.Conflict, $"Cluster '{cluster.Id}' is declared in the server's configuration ({at}), " +
            "which wins over changes made while it runs; change or remove it there (appsettings.json, MCPCLOUDTOOLS__CLUSTERS__… variables) and restart.")
        : cluster;

    public static PluginBase PluginType(ToolCatalog catalog, string? type) =>
        catalog.FindPlugin(type ?? "") ?? throw new RegistryException(RegistryErrorKind.Invalid,
            $"Unknown plugin type {ArgumentText.Show(type ?? "")}. Types: {string.Join(", ", catalog.Plugins.Select(p => p.Info.Type))}.");

    public static RegistryException NoInstance(RegistryState state, string id) =>
        new(RegistryErrorKind.NotFound, $"No plugin instance {ArgumentText.Show(id)}. Instances: {DescribeInstances(state.Instances)}.");

    public static RegistryException NoCluster(RegistryState state, string id) =>
        new(RegistryErrorKind.NotFound, $"No cluster {ArgumentText.Show(id)}. Clusters: " +
            (state.Clusters.Count == 0 ? "none registered yet" : string.Join(", ", state.Clusters.Select(c => c.Id))) + ".",
            state.Clusters.Count == 0 ? RegistryRemedy.DiscoverClusters : RegistryRemedy.None);

    public static string DescribeInstances(IEnumerable<PluginInstance> instances)
    {
        var list = instances.Select(i => i.Enabled ? i.Id : $"{i.Id} (disabled)").ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$")]
    private static partial Regex ClusterIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ConfigKeyPattern();
}
