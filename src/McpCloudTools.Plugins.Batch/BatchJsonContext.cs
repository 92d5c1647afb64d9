using System.Text.Json.Serialization;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch;

/// <summary>Source-generated JSON for the Batch wire shapes; no reflection. (The tools' array and map parameters are in CoreJsonContext.)</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeComputeEnvironmentsRequest))]
[JsonSerializable(typeof(DescribeComputeEnvironmentsResponse))]
[JsonSerializable(typeof(DescribeJobQueuesRequest))]
[JsonSerializable(typeof(DescribeJobQueuesResponse))]
[JsonSerializable(typeof(DescribeJobDefinitionsRequest))]
[JsonSerializable(typeof(DescribeJobDefinitionsResponse))]
[JsonSerializable(typeof(ListJobsRequest))]
[JsonSerializable(typeof(ListJobsResponse))]
[JsonSerializable(typeof(DescribeJobsRequest))]
[JsonSerializable(typeof(DescribeJobsResponse))]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(SubmitJobResponse))]
[JsonSerializable(typeof(CancelJobRequest))]
[JsonSerializable(typeof(TerminateJobRequest))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class BatchJsonContext : JsonSerializerContext;
