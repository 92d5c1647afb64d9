using System.Text.Json.Serialization;
using McpCloudTools.Sandbox.Services.Logs;

namespace McpCloudTools.Sandbox;

/// <summary>Source-generated JSON for every type the sandbox reads or writes (services' wire shapes, control endpoint).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(ClockRequest))]
[JsonSerializable(typeof(SandboxStateView))]
[JsonSerializable(typeof(DescribeLogGroupsInput))]
[JsonSerializable(typeof(DescribeLogGroupsOutput))]
[JsonSerializable(typeof(DescribeLogStreamsInput))]
[JsonSerializable(typeof(DescribeLogStreamsOutput))]
[JsonSerializable(typeof(GetLogEventsInput))]
[JsonSerializable(typeof(GetLogEventsOutput))]
[JsonSerializable(typeof(FilterLogEventsInput))]
[JsonSerializable(typeof(FilterLogEventsOutput))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
