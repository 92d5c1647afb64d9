using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server;

/// <summary>
/// Reads the plugin instances and clusters the configuration declares (appsettings.json, <c>MCPCLOUDTOOLS__…</c>
/// environment variables), by hand rather than through the binder so that a bad value is reported with its key path:
/// <code>
/// "McpCloudTools": {
///   "Instances": { "eks-prod": { "Type": "eks", "DisplayName": "Prod", "Enabled": true, "Config": { "kubeconfig_context": "prod" } } },
///   "Clusters":  { "prod": { "Plugin": "eks", "Name": "prod", "Instance": "eks-prod", "Region": "eu-west-1", "Config": { … } } }
/// }
/// </code>
/// An instance's key is its id (lower-cased, since environment variables are upper-case) unless it sets <c>Id</c>; a
/// cluster's key is a label only (cluster ids contain <c>:</c>, the configuration's separator): its id is <c>Id</c>,
/// or <c>&lt;plugin&gt;:&lt;name&gt;</c>. The merge rules are <see cref="RegistryDeclarations"/>'s.
/// </summary>
internal static class Declarations
{
    private static readonly string[] InstanceKeys = ["Id", "Type", "DisplayName", "Enabled", "Config"];
    private static readonly string[] ClusterKeys = ["Id", "Plugin", "Name", "Region", "Instance", "Config"];

    /// <summary>The declarations under <c>McpCloudTools</c>; throws <see cref="DeclarationException"/> naming the key path of a bad one.</summary>
    public static RegistryDeclarations Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(ServerOptions.Section);
        var instances = section.GetSection(ServerOptions.DeclaredInstances).GetChildren().Select(s =>
        {
            Known(s, InstanceKeys);
            return new DeclaredInstance(Path(s), (s["Id"] ?? s.Key).Trim().ToLowerInvariant(), s["Type"], s["DisplayName"], Bool(s, "Enabled", true), Map(s));
        }).ToList();
        var clusters = section.GetSection(ServerOptions.DeclaredClusters).GetChildren().Select(s =>
        {
            Known(s, ClusterKeys);
            return new DeclaredCluster(Path(s), s["Id"], s["Plugin"]?.Trim().ToLowerInvariant(), s["Name"], s["Region"], s["Instance"]?.Trim().ToLowerInvariant(), Map(s));
        }).ToList();
        return new RegistryDeclarations(instances, clusters);
    }

    private static string Path(IConfigurationSection s) => s.Path;

    private static void Known(IConfigurationSection s, string[] keys)
    {
        if (s.Value is not null && !s.GetChildren().Any())
        {
            throw new DeclarationException($"{s.Path}: a declaration is a section with {string.Join(", ", keys)}, not a value; " +
                $"e.g. {s.Path}:{keys[1]} ({ServerOptions.VariableOf($"{s.Path}:{keys[1]}")}).");
        }

        foreach (var child in s.GetChildren())
        {
            if (!keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new DeclarationException($"{child.Path}: unknown key '{Short(child.Key)}'; valid keys: {string.Join(", ", keys)}.");
            }
        }
    }

    private static bool Bool(IConfigurationSection s, string key, bool fallback) => s[key] switch
    {
        null => fallback,
        var v when bool.TryParse(v.Trim(), out var b) => b,
        var v => throw new DeclarationException($"{s.Path}:{key}: '{Short(v)}' is not true or false."),
    };

    private static Dictionary<string, string> Map(IConfigurationSection s)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in s.GetSection("Config").GetChildren())
        {
            if (entry.Value is null)
            {
                throw new DeclarationException($"{entry.Path}: a config value must be a string, not a section.");
            }

            config[entry.Key] = entry.Value;
        }

        return config;
    }

    private static string Short(string value) => Fmt.Clip(value, 40);
}
