namespace McpCloudTools.Plugins.Batch.Client;

// Shapes of AWS Batch 2016-08-10 (batch.service-2.json), named as in AWSSDK.Batch. Times are epoch milliseconds as on
// the wire. Members the tools do not need are left out; unknown members in answers are ignored.

internal sealed class DescribeComputeEnvironmentsRequest
{
    public List<string>? ComputeEnvironments { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class DescribeComputeEnvironmentsResponse
{
    public List<ComputeEnvironmentDetail>? ComputeEnvironments { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class ComputeEnvironmentDetail
{
    public string ComputeEnvironmentName { get; set; } = "";
    public string ComputeEnvironmentArn { get; set; } = "";
    public string? Type { get; set; }
    public string? State { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public ComputeResource? ComputeResources { get; set; }
    public string? ServiceRole { get; set; }
    public string? EcsClusterArn { get; set; }
    public string? ContainerOrchestrationType { get; set; }
    public int? UnmanagedvCpus { get; set; }
}

internal sealed class ComputeResource
{
    public string? Type { get; set; }
    public string? AllocationStrategy { get; set; }
    public int? MinvCpus { get; set; }
    public int? MaxvCpus { get; set; }
    public int? DesiredvCpus { get; set; }
    public List<string>? InstanceTypes { get; set; }
    public List<string>? Subnets { get; set; }
    public List<string>? SecurityGroupIds { get; set; }
    public int? BidPercentage { get; set; }
}

internal sealed class DescribeJobQueuesRequest
{
    public List<string>? JobQueues { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class DescribeJobQueuesResponse
{
    public List<JobQueueDetail>? JobQueues { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class JobQueueDetail
{
    public string JobQueueName { get; set; } = "";
    public string JobQueueArn { get; set; } = "";
    public string? State { get; set; }
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    public int? Priority { get; set; }
    public List<ComputeEnvironmentOrder>? ComputeEnvironmentOrder { get; set; }
    public string? SchedulingPolicyArn { get; set; }
    public string? JobQueueType { get; set; }
}

internal sealed class ComputeEnvironmentOrder
{
    public int? Order { get; set; }
    public string ComputeEnvironment { get; set; } = "";
}

internal sealed class DescribeJobDefinitionsRequest
{
    public List<string>? JobDefinitions { get; set; }
    public string? JobDefinitionName { get; set; }
    public string? Status { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class DescribeJobDefinitionsResponse
{
    public List<JobDefinition>? JobDefinitions { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class JobDefinition
{
    public string JobDefinitionName { get; set; } = "";
    public string JobDefinitionArn { get; set; } = "";
    public int Revision { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public RetryStrategy? RetryStrategy { get; set; }
    public ContainerProperties? ContainerProperties { get; set; }
    public JobTimeout? Timeout { get; set; }
    public List<string>? PlatformCapabilities { get; set; }
    public NodeProperties? NodeProperties { get; set; }
}

internal sealed class ContainerProperties
{
    public string? Image { get; set; }
    public int? Vcpus { get; set; }
    public int? Memory { get; set; }
    public List<string>? Command { get; set; }
    public List<KeyValuePair>? Environment { get; set; }
    public List<ResourceRequirement>? ResourceRequirements { get; set; }
    public LogConfiguration? LogConfiguration { get; set; }
    public string? JobRoleArn { get; set; }
    public string? ExecutionRoleArn { get; set; }
}

internal sealed class NodeProperties
{
    public int? NumNodes { get; set; }
    public int? MainNode { get; set; }
}

internal sealed class RetryStrategy
{
    public int? Attempts { get; set; }
    public List<EvaluateOnExit>? EvaluateOnExit { get; set; }
}

internal sealed class EvaluateOnExit
{
    public string? OnStatusReason { get; set; }
    public string? OnReason { get; set; }
    public string? OnExitCode { get; set; }
    public string? Action { get; set; }
}

internal sealed class JobTimeout
{
    public int? AttemptDurationSeconds { get; set; }
}

internal sealed class KeyValuePair
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

internal sealed class ResourceRequirement
{
    public string Type { get; set; } = "";
    public string Value { get; set; } = "";
}

internal sealed class LogConfiguration
{
    public string? LogDriver { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
