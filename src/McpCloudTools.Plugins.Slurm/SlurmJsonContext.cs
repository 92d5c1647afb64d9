using System.Text.Json.Serialization;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm;

/// <summary>Source-generated JSON for the Slurm REST API's wire shapes (both versions); no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WireResponse))]
[JsonSerializable(typeof(Ping38Response))]
[JsonSerializable(typeof(Diag38Response))]
[JsonSerializable(typeof(Jobs38Response))]
[JsonSerializable(typeof(Nodes38Response))]
[JsonSerializable(typeof(Partitions38Response))]
[JsonSerializable(typeof(Submit38Request))]
[JsonSerializable(typeof(Ping41Response))]
[JsonSerializable(typeof(Diag41Response))]
[JsonSerializable(typeof(Jobs41Response))]
[JsonSerializable(typeof(Nodes41Response))]
[JsonSerializable(typeof(Partitions41Response))]
[JsonSerializable(typeof(Submit41Request))]
[JsonSerializable(typeof(SubmitResponse))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext;
