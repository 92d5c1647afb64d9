using System.Text.Json;
using System.Text.Json.Serialization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using Microsoft.AspNetCore.Mvc;

namespace McpCloudTools.Server.Http;

/// <summary>A plugin type in <c>GET /api/plugin-types</c>.</summary>
public sealed record PluginTypeDto(string Type, string Name, string Description, string Icon, string Version,
    IReadOnlyList<string> Tools, IReadOnlyList<PluginConfigKey> ConfigKeys, int Instances);

/// <summary>A plugin instance in the REST API.</summary>
public sealed record PluginInstanceDto(string Id, string Type, string DisplayName, bool Enabled, IReadOnlyDictionary<string, string> Config,
    DateTimeOffset CreatedAt, int ConfigVersion, string? TypeVersion, bool Available, HealthDto? Health);

/// <summary>Last health of an instance.</summary>
public sealed record HealthDto(string Status, string Message, DateTimeOffset CheckedAt, IReadOnlyDictionary<string, string>? Details);

/// <summary>Body of <c>POST /api/plugins</c>.</summary>
public sealed record CreatePluginRequest(string? Type, string? Id, string? DisplayName, Dictionary<string, string>? Config, bool? Enabled);

/// <summary>Body of <c>PATCH /api/plugins/{id}</c>: a new display name and/or a replacement config.</summary>
public sealed record UpdatePluginRequest(string? DisplayName, Dictionary<string, string>? Config);

/// <summary>A cluster in the REST API.</summary>
public sealed record ClusterDto(string Id, string Name, string Region, string PluginType, string? InstanceId,
    IReadOnlyDictionary<string, string> Config, string Source, bool Active);

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
[JsonSerializable(typeof(CreateClusterRequest))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

internal static class Dto
{
    public static PluginInstanceDto From(PluginInstance i, PluginRegistry registry) => new(i.Id, i.Type, i.DisplayName, i.Enabled,
        registry.Catalog.FindPlugin(i.Type)?.ShownConfig(i.Config) ?? i.Config,
        i.CreatedAt, i.ConfigVersion, registry.Catalog.FindPlugin(i.Type)?.Info.Version, registry.Catalog.FindPlugin(i.Type) is not null,
        From(registry.LastHealth(i.Id)));

    public static HealthDto? From(HealthReport? h) => h is null ? null
        : new HealthDto(h.Status.ToString().ToLowerInvariant(), h.Message, h.CheckedAt, h.Details);

    public static ClusterDto From(ClusterInfo c, PluginRegistry registry) => new(c.Id, c.Name, c.Region, c.PluginType, c.InstanceId, c.Config,
        c.Source == ClusterSource.Discovered ? "discovered" : "manual", string.Equals(registry.ActiveCluster?.Id, c.Id, StringComparison.Ordinal));
}
