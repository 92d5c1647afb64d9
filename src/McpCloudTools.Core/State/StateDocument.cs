using System.Text.Json.Serialization;

namespace McpCloudTools.Core.State;

/// <summary>
/// The state file, schema 3 (the current one): schema 2 plus a revision counter (the version a conditional save
/// checks) and the active cluster per caller. Schema 2 is read through the same class: it had one
/// <c>activeCluster</c>, which becomes the global entry.
/// </summary>
internal sealed class StateDocument
{
    public const int CurrentSchemaVersion = 3;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    public long Revision { get; set; }
    public string? WrittenBy { get; set; }
    public List<string> KnownTypes { get; set; } = [];
    public List<InstanceDocument> Instances { get; set; } = [];
    public List<ClusterDocument> Clusters { get; set; } = [];

    /// <summary>Schema 2's single active cluster; read to migrate, never written.</summary>
    public string? ActiveCluster { get; set; }

    public ActiveClustersDocument? ActiveClusters { get; set; }
}

/// <summary>The active cluster per caller: the global one and one per signed-in subject.</summary>
internal sealed class ActiveClustersDocument
{
    public string? Global { get; set; }
    public Dictionary<string, string> Callers { get; set; } = [];
}

internal sealed class InstanceDocument
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public string? DisplayName { get; set; }
    public Dictionary<string, string> Config { get; set; } = [];
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public int ConfigVersion { get; set; } = 1;
}

internal sealed class ClusterDocument
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Region { get; set; } = "";
    public required string PluginType { get; set; }
    public string? InstanceId { get; set; }
    public Dictionary<string, string> Config { get; set; } = [];
    public string Source { get; set; } = "manual";
}

/// <summary>
/// Schema 1: the shape of the original design's registry dump (dictionaries keyed by id, snake_case, no versions).
/// Read only, to migrate it.
/// </summary>
internal sealed class LegacyStateDocument
{
    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("plugins")] public Dictionary<string, LegacyPlugin> Plugins { get; set; } = [];
    [JsonPropertyName("clusters")] public Dictionary<string, LegacyCluster> Clusters { get; set; } = [];
    [JsonPropertyName("active_cluster")] public string? ActiveCluster { get; set; }
}

internal sealed class LegacyPlugin
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    [JsonPropertyName("config")] public Dictionary<string, string> Config { get; set; } = [];
}

internal sealed class LegacyCluster
{
    [JsonPropertyName("cluster_id")] public string? ClusterId { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("plugin_type")] public string? PluginType { get; set; }
    [JsonPropertyName("config")] public Dictionary<string, string> Config { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(StateDocument))]
[JsonSerializable(typeof(LegacyStateDocument))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
