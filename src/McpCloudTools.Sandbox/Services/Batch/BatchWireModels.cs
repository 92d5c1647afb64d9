namespace McpCloudTools.Sandbox.Services.Batch;

// AWS Batch 2016-08-10 wire shapes (batch.service-2.json): the members the sandbox reads and writes, camelCase on the
// wire, absent when null. Times are epoch milliseconds.

internal sealed class NamesPageInput
{
    public List<string>? ComputeEnvironments { get; set; }
    public List<string>? JobQueues { get; set; }
    public List<string>? JobDefinitions { get; set; }
    public string? JobDefinitionName { get; set; }
    public string? Status { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class ComputeEnvironmentsOutput
{
    public List<ComputeEnvironmentWire> ComputeEnvironments { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class ComputeEnvironmentWire
{
    public string ComputeEnvironmentName { get; set; } = "";
    public string ComputeEnvironmentArn { get; set; } = "";
    public string? EcsClusterArn { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public string? Type { get; set; }
    public string? State { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public ComputeResourceWire? ComputeResources { get; set; }
    public string? ServiceRole { get; set; }
    public string? ContainerOrchestrationType { get; set; }
    public string? Uuid { get; set; }
}

internal sealed class ComputeResourceWire
{
    public string Type { get; set; } = "";
    public string? AllocationStrategy { get; set; }
    public int MinvCpus { get; set; }
    public int MaxvCpus { get; set; }
    public int DesiredvCpus { get; set; }
    public List<string>? InstanceTypes { get; set; }
    public List<string> Subnets { get; set; } = [];
    public List<string>? SecurityGroupIds { get; set; }
    public string? InstanceRole { get; set; }
    public int? BidPercentage { get; set; }
}

internal sealed class JobQueuesOutput
{
    public List<JobQueueWire> JobQueues { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class JobQueueWire
{
    public string JobQueueName { get; set; } = "";
    public string JobQueueArn { get; set; } = "";
    public string State { get; set; } = "";
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public int Priority { get; set; }
    public List<ComputeEnvironmentOrderWire> ComputeEnvironmentOrder { get; set; } = [];
    public string? JobQueueType { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

internal sealed class ComputeEnvironmentOrderWire
{
    public int Order { get; set; }
    public string ComputeEnvironment { get; set; } = "";
}

internal sealed class JobDefinitionsOutput
{
    public List<JobDefinitionWire> JobDefinitions { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class JobDefinitionWire
{
    public string JobDefinitionName { get; set; } = "";
    public string JobDefinitionArn { get; set; } = "";
    public int Revision { get; set; }
    public string? Status { get; set; }
    public string Type { get; set; } = "container";
    public RetryStrategyWire? RetryStrategy { get; set; }
    public ContainerPropertiesWire? ContainerProperties { get; set; }
    public JobTimeoutWire? Timeout { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public List<string>? PlatformCapabilities { get; set; }
    public string? ContainerOrchestrationType { get; set; }
}

internal sealed class ContainerPropertiesWire
{
    public string? Image { get; set; }
    public List<string>? Command { get; set; }
    public string? JobRoleArn { get; set; }
    public string? ExecutionRoleArn { get; set; }
    public List<KeyValuePairWire>? Environment { get; set; }
    public List<ResourceRequirementWire>? ResourceRequirements { get; set; }
    public LogConfigurationWire? LogConfiguration { get; set; }
}

internal sealed class RetryStrategyWire
{
    public int? Attempts { get; set; }
}

internal sealed class JobTimeoutWire
{
    public int? AttemptDurationSeconds { get; set; }
}

internal sealed class KeyValuePairWire
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

internal sealed class ResourceRequirementWire
{
    public string? Value { get; set; }
    public string? Type { get; set; }
}

internal sealed class LogConfigurationWire
{
    public string LogDriver { get; set; } = "awslogs";
}

internal sealed class KeyValuesPairWire
{
    public string? Name { get; set; }
    public List<string>? Values { get; set; }
}

internal sealed class ListJobsInput
{
    public string? JobQueue { get; set; }
    public string? ArrayJobId { get; set; }
    public string? MultiNodeJobId { get; set; }
    public string? JobStatus { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public List<KeyValuesPairWire>? Filters { get; set; }
}

internal sealed class ListJobsOutput
{
    public List<JobSummaryWire> JobSummaryList { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class JobSummaryWire
{
    public string? JobArn { get; set; }
    public string JobId { get; set; } = "";
    public string JobName { get; set; } = "";
    public long? CreatedAt { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public ContainerSummaryWire? Container { get; set; }
    public ArrayPropertiesWire? ArrayProperties { get; set; }
    public string? JobDefinition { get; set; }
}

internal sealed class ContainerSummaryWire
{
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
}

internal sealed class ArrayPropertiesWire
{
    public Dictionary<string, int>? StatusSummary { get; set; }
    public long? StatusSummaryLastUpdatedAt { get; set; }
    public int? Size { get; set; }
    public int? Index { get; set; }
}

internal sealed class DescribeJobsInput
{
    public List<string>? Jobs { get; set; }
}

internal sealed class DescribeJobsOutput
{
    public List<JobDetailWire> Jobs { get; set; } = [];
}

internal sealed class JobDetailWire
{
    public string? JobArn { get; set; }
    public string JobName { get; set; } = "";
    public string JobId { get; set; } = "";
    public string JobQueue { get; set; } = "";
    public string Status { get; set; } = "";
    public List<AttemptDetailWire>? Attempts { get; set; }
    public string? StatusReason { get; set; }
    public long? CreatedAt { get; set; }
    public RetryStrategyWire? RetryStrategy { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public List<JobDependencyWire>? DependsOn { get; set; }
    public string JobDefinition { get; set; } = "";
    public Dictionary<string, string>? Parameters { get; set; }
    public ContainerDetailWire? Container { get; set; }
    public ArrayPropertiesWire? ArrayProperties { get; set; }
    public JobTimeoutWire? Timeout { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public List<string>? PlatformCapabilities { get; set; }
    public bool? IsCancelled { get; set; }
    public bool? IsTerminated { get; set; }
}

internal sealed class AttemptDetailWire
{
    public AttemptContainerWire? Container { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public string? StatusReason { get; set; }
}

internal sealed class AttemptContainerWire
{
    public string? ContainerInstanceArn { get; set; }
    public string? TaskArn { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? LogStreamName { get; set; }
}

internal sealed class JobDependencyWire
{
    public string? JobId { get; set; }
    public string? Type { get; set; }
}

internal sealed class ContainerDetailWire
{
    public string? Image { get; set; }
    public List<string>? Command { get; set; }
    public string? JobRoleArn { get; set; }
    public string? ExecutionRoleArn { get; set; }
    public List<KeyValuePairWire>? Environment { get; set; }
    public List<ResourceRequirementWire>? ResourceRequirements { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? ContainerInstanceArn { get; set; }
    public string? TaskArn { get; set; }
    public string? LogStreamName { get; set; }
    public LogConfigurationWire? LogConfiguration { get; set; }
}

internal sealed class SubmitJobInput
{
    public string? JobName { get; set; }
    public string? JobQueue { get; set; }
    public string? JobDefinition { get; set; }
    public ArrayPropertiesWire? ArrayProperties { get; set; }
    public List<JobDependencyWire>? DependsOn { get; set; }
    public Dictionary<string, string>? Parameters { get; set; }
    public ContainerOverridesWire? ContainerOverrides { get; set; }
    public RetryStrategyWire? RetryStrategy { get; set; }
    public JobTimeoutWire? Timeout { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

internal sealed class ContainerOverridesWire
{
    public int? Vcpus { get; set; }
    public int? Memory { get; set; }
    public List<string>? Command { get; set; }
    public List<KeyValuePairWire>? Environment { get; set; }
    public List<ResourceRequirementWire>? ResourceRequirements { get; set; }
}

internal sealed class SubmitJobOutput
{
    public string JobArn { get; set; } = "";
    public string JobName { get; set; } = "";
    public string JobId { get; set; } = "";
}

internal sealed class JobActionInput
{
    public string? JobId { get; set; }
    public string? Reason { get; set; }
}

internal sealed class EmptyOutput;
