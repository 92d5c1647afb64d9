namespace McpCloudTools.Core.Registry;

/// <summary>
/// How long the registry's free texts may be (REST API, state file): one place, quoted by the README. Ids have their
/// own patterns (instance ids 1-63 characters, cluster ids up to 128).
/// </summary>
public static class RegistryLimits
{
    /// <summary>A plugin instance's display name, in characters.</summary>
    public const int DisplayName = 100;

    /// <summary>A cluster's name.</summary>
    public const int ClusterName = 128;

    /// <summary>A cluster's region.</summary>
    public const int Region = 64;

    /// <summary>Keys in one config.</summary>
    public const int ConfigEntries = 32;

    /// <summary>A config key.</summary>
    public const int ConfigKey = 64;

    /// <summary>A config value (an ARN is at most 2048).</summary>
    public const int ConfigValue = 2048;
}
