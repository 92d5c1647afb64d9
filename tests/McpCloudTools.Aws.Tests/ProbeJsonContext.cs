using System.Text.Json.Serialization;
using McpCloudTools.Aws.Logs;

namespace McpCloudTools.Aws.Tests;

/// <summary>Source-generated JSON for the test clients (the product's context is internal to its assembly).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeLogGroupsRequest))]
[JsonSerializable(typeof(DescribeLogGroupsResponse))]
[JsonSerializable(typeof(ProbeEcho))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;

/// <summary>A small restJson1 body for request-building tests.</summary>
public sealed class ProbeEcho
{
    public string? Name { get; set; }
}
