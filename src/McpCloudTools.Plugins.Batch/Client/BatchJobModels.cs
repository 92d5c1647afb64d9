namespace McpCloudTools.Plugins.Batch.Client;

// Job shapes of AWS Batch 2016-08-10, named as in AWSSDK.Batch; epoch-millisecond times.

internal sealed class ListJobsRequest
{
    public string? JobQueue { get; set; }
    public string? ArrayJobId { get; set; }
    public string? MultiNodeJobId { get; set; }
    public string? JobStatus { get; set; }
    public List<KeyValuesPair>? Filters { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class KeyValuesPair
{
    public string? Name { get; set; }
    public List<string>? Values { get; set; }
}

internal sealed class ListJobsResponse
{
    public List<JobSummary>? JobSummaryList { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class JobSummary
{
    public string JobId { get; set; } = "";
    public string JobName { get; set; } = "";
    public string? JobArn { get; set; }
    public long? CreatedAt { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public ContainerSummary? Container { get; set; }
    public ArrayPropertiesSummary? ArrayProperties { get; set; }
    public string? JobDefinition { get; set; }
}

internal sealed class ContainerSummary
{
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
}

internal sealed class ArrayPropertiesSummary
{
    public int? Size { get; set; }
    public int? Index { get; set; }
    public Dictionary<string, int>? StatusSummary { get; set; }
}

internal sealed class DescribeJobsRequest
{
    public List<string> Jobs { get; set; } = [];
}

internal sealed class DescribeJobsResponse
{
    public List<JobDetail>? Jobs { get; set; }
}

internal sealed class JobDetail
{
    public string JobId { get; set; } = "";
    public string JobName { get; set; } = "";
    public string? JobArn { get; set; }
    public string? JobQueue { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public List<AttemptDetail>? Attempts { get; set; }
    public long? CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public RetryStrategy? RetryStrategy { get; set; }
    public List<JobDependency>? DependsOn { get; set; }
    public string? JobDefinition { get; set; }
    public ContainerDetail? Container { get; set; }
    public ArrayPropertiesDetail? ArrayProperties { get; set; }
    public JobTimeout? Timeout { get; set; }
    public bool? IsCancelled { get; set; }
    public bool? IsTerminated { get; set; }
    public List<string>? PlatformCapabilities { get; set; }
}

internal sealed class AttemptDetail
{
    public AttemptContainerDetail? Container { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public string? StatusReason { get; set; }
}

internal sealed class AttemptContainerDetail
{
    public string? ContainerInstanceArn { get; set; }
    public string? TaskArn { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? LogStreamName { get; set; }
}

internal sealed class JobDependency
{
    public string? JobId { get; set; }
    public string? Type { get; set; }
}

internal sealed class ContainerDetail
{
    public string? Image { get; set; }
    public int? Vcpus { get; set; }
    public int? Memory { get; set; }
    public List<string>? Command { get; set; }
    public List<KeyValuePair>? Environment { get; set; }
    public List<ResourceRequirement>? ResourceRequirements { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? LogStreamName { get; set; }
    public string? TaskArn { get; set; }
    public string? ContainerInstanceArn { get; set; }
    public string? InstanceType { get; set; }
    public LogConfiguration? LogConfiguration { get; set; }
}

internal sealed class ArrayPropertiesDetail
{
    public Dictionary<string, int>? StatusSummary { get; set; }
    public int? Size { get; set; }
    public int? Index { get; set; }
}

internal sealed class SubmitJobRequest
{
    public string JobName { get; set; } = "";
    public string JobQueue { get; set; } = "";
    public string JobDefinition { get; set; } = "";
    public ArrayProperties? ArrayProperties { get; set; }
    public List<JobDependency>? DependsOn { get; set; }
    public ContainerOverrides? ContainerOverrides { get; set; }
    public RetryStrategy? RetryStrategy { get; set; }
    public JobTimeout? Timeout { get; set; }
}

internal sealed class ArrayProperties
{
    public int? Size { get; set; }
}

internal sealed class ContainerOverrides
{
    public List<string>? Command { get; set; }
    public List<KeyValuePair>? Environment { get; set; }
    public List<ResourceRequirement>? ResourceRequirements { get; set; }
}

internal sealed class SubmitJobResponse
{
    public string JobId { get; set; } = "";
    public string JobName { get; set; } = "";
    public string? JobArn { get; set; }
}

internal sealed class CancelJobRequest
{
    public string JobId { get; set; } = "";
    public string Reason { get; set; } = "";
}

internal sealed class TerminateJobRequest
{
    public string JobId { get; set; } = "";
    public string Reason { get; set; } = "";
}

internal sealed class EmptyResponse;
