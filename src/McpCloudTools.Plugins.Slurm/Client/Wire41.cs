namespace McpCloudTools.Plugins.Slurm.Client;

// The v0.0.41 wire shapes (Slurm 24.05; v0.0.40 and v0.0.42 share them for these fields), only what the plugin reads.

internal sealed class Ping41Response : WireResponse
{
    public List<Ping41>? Pings { get; set; }
    public Meta41? Meta { get; set; }
}

internal sealed class Meta41
{
    public SlurmMeta41? Slurm { get; set; }
}

internal sealed class SlurmMeta41
{
    public string? Release { get; set; }
    public string? Cluster { get; set; }
}

internal sealed class Ping41
{
    public string? Hostname { get; set; }
    public string? Pinged { get; set; }
    public bool? Responding { get; set; }
    public string? Mode { get; set; }
}

internal sealed class Diag41Response : WireResponse
{
    public Diag41? Statistics { get; set; }
}

internal sealed class Diag41
{
    public long? ServerThreadCount { get; set; }
    public long? AgentQueueSize { get; set; }
    public long? JobsPending { get; set; }
    public long? JobsRunning { get; set; }
}

internal sealed class Jobs41Response : WireResponse
{
    public List<Job41>? Jobs { get; set; }
}

internal sealed class ExitCode41
{
    public List<string>? Status { get; set; }
    public WireNoVal? ReturnCode { get; set; }
    public Signal41? Signal { get; set; }
}

internal sealed class Signal41
{
    public WireNoVal? Id { get; set; }
    public string? Name { get; set; }
}

internal sealed class Job41
{
    public long JobId { get; set; }
    public string? Name { get; set; }
    public string? UserName { get; set; }
    public string? Partition { get; set; }
    public List<string>? JobState { get; set; }
    public string? StateReason { get; set; }
    public string? StateDescription { get; set; }
    public WireNoVal? ArrayJobId { get; set; }
    public WireNoVal? ArrayTaskId { get; set; }
    public string? ArrayTaskString { get; set; }
    public WireNoVal? SubmitTime { get; set; }
    public WireNoVal? EligibleTime { get; set; }
    public WireNoVal? StartTime { get; set; }
    public WireNoVal? EndTime { get; set; }
    public WireNoVal? TimeLimit { get; set; }
    public ExitCode41? ExitCode { get; set; }
    public WireNoVal? Cpus { get; set; }
    public WireNoVal? NodeCount { get; set; }
    public WireNoVal? Tasks { get; set; }
    public WireNoVal? CpusPerTask { get; set; }
    public WireNoVal? MemoryPerNode { get; set; }
    public WireNoVal? MemoryPerCpu { get; set; }
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
    public WireNoVal? Priority { get; set; }
    public string? Command { get; set; }
}

internal sealed class Nodes41Response : WireResponse
{
    public List<Node41>? Nodes { get; set; }
}

internal sealed class Node41
{
    public string Name { get; set; } = "";
    public List<string>? State { get; set; }
    public string? Reason { get; set; }
    public string? ReasonSetByUser { get; set; }
    public WireNoVal? ReasonChangedAt { get; set; }
    public long? Cpus { get; set; }
    public long? AllocCpus { get; set; }
    public long? RealMemory { get; set; }
    public long? AllocMemory { get; set; }
    public WireNoVal? FreeMem { get; set; }
    public List<string>? Features { get; set; }
    public List<string>? Partitions { get; set; }
    public long? CpuLoad { get; set; }
}

internal sealed class Partitions41Response : WireResponse
{
    public List<Partition41>? Partitions { get; set; }
}

internal sealed class Partition41
{
    public string Name { get; set; } = "";
    public PartitionNodes41? Nodes { get; set; }
    public PartitionCpus41? Cpus { get; set; }
    public PartitionMaximums41? Maximums { get; set; }
    public PartitionDefaults41? Defaults { get; set; }
    public PartitionState41? Partition { get; set; }
}

internal sealed class PartitionNodes41
{
    public string? Configured { get; set; }
    public long? Total { get; set; }
}

internal sealed class PartitionCpus41
{
    public long? Total { get; set; }
}

internal sealed class PartitionMaximums41
{
    public WireNoVal? Time { get; set; }
    public WireNoVal? Nodes { get; set; }
    public WireNoVal? PartitionMemoryPerNode { get; set; }
}

internal sealed class PartitionDefaults41
{
    public WireNoVal? Time { get; set; }
}

internal sealed class PartitionState41
{
    public List<string>? State { get; set; }
}

internal sealed class Submit41Request
{
    public SubmitJob41 Job { get; set; } = new();
}

internal sealed class SubmitJob41
{
    public string Script { get; set; } = "";
    public string? Name { get; set; }
    public string? Partition { get; set; }
    public long? MinimumNodes { get; set; }
    public long? MaximumNodes { get; set; }
    public long? Tasks { get; set; }
    public long? CpusPerTask { get; set; }
    public WireNoVal? MemoryPerNode { get; set; }
    public WireNoVal? TimeLimit { get; set; }
    public string? Array { get; set; }
    public string? Dependency { get; set; }
    public List<string> Environment { get; set; } = [];
    public string CurrentWorkingDirectory { get; set; } = "";
}
