using System.Text.Json.Serialization;

namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>
/// Source-generated JSON for the Batch wire shapes. Kept beside the service rather than in the frame's
/// SandboxJsonContext, so that each emulated service owns its shapes.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(NamesPageInput))]
[JsonSerializable(typeof(ComputeEnvironmentsOutput))]
[JsonSerializable(typeof(JobQueuesOutput))]
[JsonSerializable(typeof(JobDefinitionsOutput))]
[JsonSerializable(typeof(ListJobsInput))]
[JsonSerializable(typeof(ListJobsOutput))]
[JsonSerializable(typeof(DescribeJobsInput))]
[JsonSerializable(typeof(DescribeJobsOutput))]
[JsonSerializable(typeof(SubmitJobInput))]
[JsonSerializable(typeof(SubmitJobOutput))]
[JsonSerializable(typeof(JobActionInput))]
[JsonSerializable(typeof(EmptyOutput))]
internal sealed partial class BatchSandboxJsonContext : JsonSerializerContext;
