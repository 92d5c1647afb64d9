namespace McpCloudTools.Plugins.Slurm.Client;

// The v0.0.38 wire shapes (Slurm 22.05), only the fields the plugin reads. Field names as slurmrestd writes them.

internal sealed class Ping38Response : WireResponse
{
    public List<Ping38>? Pings { get; set; }
    public Meta38? Meta { get; set; }
}

internal sealed class Meta38
{
    [System.Text.Json.Serialization.JsonPropertyName("Slurm")]
    public Slurm38? Slurm { get; set; }
}

internal sealed class Slurm38
{
    public string? Release { get; set; }
}

internal sealed class Ping38
{
    public string? Hostname { get; set; }
    public string? Ping { get; set; }
    public string? Mode { get; set; }
}

internal sealed class Diag38Response : WireResponse
{
    public Diag38? Statistics { get; set; }
}

internal sealed class Diag38
{
    public long? ServerThreadCount { get; set; }
    public long? AgentQueueSize { get; set; }
    public long? JobsPending { get; set; }
    public long? JobsRunning { get; set; }
}

internal sealed class Jobs38Response : WireResponse
{
    public List<Job38>? Jobs { get; set; }
}

internal sealed class Job38
{
    public long JobId { get; set; }
    public string? Name { get; set; }
    public string? UserName { get; set; }
    public string? Partition { get; set; }
    public string? JobState { get; set; }
    public string? StateReason { get; set; }
    public string? StateDescription { get; set; }
    public long? ArrayJobId { get; set; }
    public long? ArrayTaskId { get; set; }
    public string? ArrayTaskString { get; set; }
    public long? SubmitTime { get; set; }
    public long? EligibleTime { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public long? TimeLimit { get; set; }
    /// <summary>The raw wait status: exit code in the high byte, signal in the low seven bits.</summary>
    public long? ExitCode { get; set; }
    public long? Cpus { get; set; }
    public long? NodeCount { get; set; }
    public long? Tasks { get; set; }
    public long? CpusPerTask { get; set; }
    public long? MemoryPerNode { get; set; }
    public long? MemoryPerCpu { get; set; }
    public string? Nodes { get; set; }
    public string? RequiredNodes { get; set; }
    public string? Features { get; set; }
    public string? Dependency { get; set; }
    public string? CurrentWorkingDirectory { get; set; }
    public string? StandardOutput { get; set; }
    public string? StandardError { get; set; }
    public string? TresReqStr { get; set; }
    public string? TresAllocStr { get; set; }
    public string? Qos { get; set; }
    public string? Account { get; set; }
    public string? BatchHost { get; set; }
    public long? Priority { get; set; }
    public string? Command { get; set; }
}

internal sealed class Nodes38Response : WireResponse
{
    public List<Node38>? Nodes { get; set; }
}

internal sealed class Node38
{
    public string Name { get; set; } = "";
    public string? State { get; set; }
    public List<string>? StateFlags { get; set; }
    public string? Reason { get; set; }
    public string? ReasonSetByUser { get; set; }
    public long? ReasonChangedAt { get; set; }
    public long? Cpus { get; set; }
    public long? AllocCpus { get; set; }
    public long? RealMemory { get; set; }
    public long? AllocMemory { get; set; }
    public long? FreeMemory { get; set; }
    public string? Features { get; set; }
    public List<string>? Partitions { get; set; }
    public long? CpuLoad { get; set; }
}

internal sealed class Partitions38Response : WireResponse
{
    public List<Partition38>? Partitions { get; set; }
}

internal sealed class Partition38
{
    public string Name { get; set; } = "";
    public string? State { get; set; }
    public List<string>? Flags { get; set; }
    public string? Nodes { get; set; }
    public long? TotalNodes { get; set; }
    public long? TotalCpus { get; set; }
    public long? MaxTimeLimit { get; set; }
    public long? DefaultTimeLimit { get; set; }
    public long? MaximumNodesPerJob { get; set; }
    public long? MaximumMemoryPerNode { get; set; }
}

internal sealed class Submit38Request
{
    public string Script { get; set; } = "";
    public SubmitJob38 Job { get; set; } = new();
}

internal sealed class SubmitJob38
{
    public string? Name { get; set; }
    public string? Partition { get; set; }
    public List<long>? Nodes { get; set; }
    public long? Tasks { get; set; }
    public long? CpusPerTask { get; set; }
    public long? MemoryPerNode { get; set; }
    public long? TimeLimit { get; set; }
    public string? Array { get; set; }
    public string? Dependency { get; set; }
    public Dictionary<string, string> Environment { get; set; } = [];
    public string CurrentWorkingDirectory { get; set; } = "";
}

internal sealed class SubmitResponse : WireResponse
{
    public long? JobId { get; set; }
    public string? JobSubmitUserMsg { get; set; }
}
