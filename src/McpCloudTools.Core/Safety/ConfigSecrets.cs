using System.Collections.Immutable;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Safety;

/// <summary>
/// Which configuration values (of plugin instances and clusters) are secrets, decided in one place for every place
/// config is shown: the REST API and <c>plugins_list</c>. A key is secret when its plugin declares it so
/// (<see cref="PluginConfigKey.Secret"/>: <c>external_id</c>) or when its name says so (<c>secret</c>, <c>token</c>,
/// <c>password</c>, <c>credential</c>, <c>external_id</c>, <c>private_key</c>: this covers plugin types missing
/// from the build and cluster config). Without <c>--allow-sensitive-data</c> their values read <c>[redacted]</c>; every
/// other value still passes the shared <see cref="Redactor"/>, so a credential inside a URL is scrubbed too.
/// </summary>
public static class ConfigSecrets
{
    private static readonly string[] SecretNameParts = ["secret", "token", "password", "passwd", "credential", "external_id", "externalid", "private_key", "api_key", "apikey"];

    /// <summary>Whether <paramref name="key"/>'s value is a secret.</summary>
    public static bool IsSecret(PluginBase? plugin, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return plugin?.ConfigKeys.Any(k => k.Secret && k.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) == true ||
               SecretNameParts.Any(p => key.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The value marked for the tool redaction step (<see cref="Redactor.Sensitive"/>) when it is a secret.</summary>
    public static string Mark(PluginBase? plugin, string key, string value) => IsSecret(plugin, key) ? Redactor.Sensitive(value) : value;

    /// <summary>The config as it may be shown: secrets redacted and every value through the redactor, unless <paramref name="allowSensitive"/>.</summary>
    public static ImmutableSortedDictionary<string, string> Redact(PluginBase? plugin, IReadOnlyDictionary<string, string> config, bool allowSensitive)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ToImmutableSortedDictionary(kv => kv.Key, kv => Redactor.Apply(Mark(plugin, kv.Key, kv.Value), allowSensitive), StringComparer.Ordinal);
    }
}
