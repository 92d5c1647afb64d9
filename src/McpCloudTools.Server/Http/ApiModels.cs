using System.Text.Json;
using System.Text.Json.Serialization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using Microsoft.AspNetCore.Mvc;

namespace McpCloudTools.Server.Http;

/// <summary>A plugin type in <c>GET /api/plugin-types</c>.</summary>
public sealed record PluginTypeDto(string Type, string Name, string Description, string Icon, string Version,
    IReadOnlyList<string> Tools, IReadOnlyList<PluginConfigKey> ConfigKeys, int Instances);

/// <summary>
/// A plugin instance in the REST API. <c>Source</c> is <c>declared</c> for an instance the server's configuration declares
/// (<c>DeclaredAt</c> says where; the API refuses to change it) and <c>stored</c> for one created at run time.
/// </summary>
public sealed record PluginInstanceDto(string Id, string Type, string DisplayName, bool Enabled, IReadOnlyDictionary<string, string> Config,
    DateTimeOffset CreatedAt, int ConfigVersion, string? TypeVersion, bool Available, HealthDto? Health, string Source, string? DeclaredAt);

/// <summary>Last health of an instance.</summary>
public sealed record HealthDto(string Status, string Message, DateTimeOffset CheckedAt, IReadOnlyDictionary<string, string>? Details);

/// <summary>Body of <c>POST /api/plugins</c>.</summary>
public sealed record CreatePluginRequest(string? Type, string? Id, string? DisplayName, Dictionary<string, string>? Config, bool? Enabled);

/// <summary>Body of <c>PATCH /api/plugins/{id}</c>: a new display name and/or a replacement config.</summary>
public sealed record UpdatePluginRequest(string? DisplayName, Dictionary<string, string>? Config);

/// <summary>A cluster in the REST API.</summary>
public sealed record ClusterDto(string Id, string Name, string Region, string PluginType, string? InstanceId,
    IReadOnlyDictionary<string, string> Config, string Source, bool Active);

/// <summary>An instance whose discovery failed, in <c>GET /api/clusters</c>.</summary>
public sealed record DiscoveryFailureDto(string Instance, string Error);

/// <summary>
/// <c>GET /api/clusters</c>: the clusters, and the instances whose discovery failed (their clusters are missing from
/// the list, or are what was known before), as <c>clusters_list</c> shows them.
/// </summary>
public sealed record ClusterListDto(IReadOnlyList<ClusterDto> Clusters, IReadOnlyList<DiscoveryFailureDto> DiscoveryFailures);

/// <summary>Body of <c>POST /api/clusters</c>.</summary>
public sealed record CreateClusterRequest(string? Id, string? Name, string? Region, string? PluginType, string? InstanceId, Dictionary<string, string>? Config);

/// <summary>One instance in <c>GET /api/status</c>.</summary>
public sealed record InstanceStatusDto(string Id, string Type, bool Enabled, HealthDto? Health, string? Status, IReadOnlyDictionary<string, long>? Counts);

/// <summary><c>GET /api/status</c>.</summary>
public sealed record StatusDto(string Version, bool AllowWrite, bool AllowSensitiveData, int AdvertisedTools, string? ActiveCluster,
    IReadOnlyList<InstanceStatusDto> Instances);

/// <summary>Source-generated JSON for the REST API (NativeAOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PluginTypeDto[]))]
[JsonSerializable(typeof(PluginInstanceDto))]
[JsonSerializable(typeof(PluginInstanceDto[]))]
[JsonSerializable(typeof(CreatePluginRequest))]
[JsonSerializable(typeof(UpdatePluginRequest))]
[JsonSerializable(typeof(ClusterDto))]
[JsonSerializable(typeof(ClusterDto[]))]
[JsonSerializable(typeof(ClusterListDto))]
[JsonSerializable(typeof(CreateClusterRequest))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(ToolDto[]))]
[JsonSerializable(typeof(McpCloudTools.Core.Mcp.CallRecord[]))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>
/// Registry objects as the API shows them: config values through <see cref="ConfigSecrets"/> (secrets such as
/// <c>external_id</c> redacted) and free texts through the <see cref="Redactor"/>, as tool results are, unless the
/// server runs with <c>--allow-sensitive-data</c>.
/// </summary>
internal static class Dto
{
    public static PluginInstanceDto From(PluginInstance i, ToolCatalog catalog, HealthCache health, SafetyOptions safety)
    {
        var plugin = catalog.FindPlugin(i.Type);
        return new(i.Id, i.Type, Redactor.Apply(i.DisplayName, safety.AllowSensitiveData), i.Enabled,
            ConfigSecrets.Redact(plugin, i.Config, safety.AllowSensitiveData), i.CreatedAt, i.ConfigVersion, plugin?.Info.Version, plugin is not null,
            From(health.Last(i.Id), safety), i.DeclaredAt is null ? "stored" : "declared", i.DeclaredAt);
    }

    public static HealthDto? From(HealthReport? h, SafetyOptions safety) => h is null ? null
        : new HealthDto(h.Status.ToString().ToLowerInvariant(), Redactor.Apply(h.Message, safety.AllowSensitiveData), h.CheckedAt,
            h.Details?.ToDictionary(kv => kv.Key, kv => Redactor.Apply(kv.Value, safety.AllowSensitiveData)));

    public static ClusterDto From(ClusterInfo c, ToolCatalog catalog, ClusterInfo? active, SafetyOptions safety) => new(c.Id, c.Name, c.Region, c.PluginType, c.InstanceId,
        ConfigSecrets.Redact(catalog.FindPlugin(c.PluginType), c.Config, safety.AllowSensitiveData),
        c.SourceName, string.Equals(active?.Id, c.Id, StringComparison.Ordinal));

    /// <summary>
    /// A config sent back as it was read: a secret value that still reads <c>[redacted]</c> keeps the value it has,
    /// so a client that edits one key of a redacted config does not overwrite the secret with the placeholder.
    /// </summary>
    public static Dictionary<string, string>? Unredact(Dictionary<string, string>? config, PluginInstance current, ToolCatalog catalog)
    {
        if (config is null)
        {
            return null;
        }

        var plugin = catalog.FindPlugin(current.Type);
        return config.ToDictionary(kv => kv.Key, kv => kv.Value == Redactor.Redacted && ConfigSecrets.IsSecret(plugin, kv.Key) &&
                                                       current.Config.TryGetValue(kv.Key, out var kept) ? kept : kv.Value);
    }
}
