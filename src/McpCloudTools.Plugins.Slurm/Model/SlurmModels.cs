namespace McpCloudTools.Plugins.Slurm.Model;

/// <summary>
/// One job as the tools see it, whatever the API version: v0.0.38's flat numbers and raw wait status and
/// v0.0.41's state flags and no-value structs both map here (<see cref="Client.WireMapping"/>).
/// </summary>
internal sealed record SlurmJob
{
    public required long JobId { get; init; }
    public string Name { get; init; } = "";
    public string User { get; init; } = "";
    public string Partition { get; init; } = "";
    /// <summary>The base state (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY…).</summary>
    public string State { get; init; } = "";
    /// <summary>State flags beside the base state (COMPLETING, REQUEUED…).</summary>
    public IReadOnlyList<string> StateFlags { get; init; } = [];
    /// <summary>Slurm's reason code (Resources, Priority, Dependency, NonZeroExitCode…); null for None.</summary>
    public string? Reason { get; init; }
    public string? StateDescription { get; init; }
    public long? ArrayJobId { get; init; }
    public long? ArrayTaskId { get; init; }
    /// <summary>Task ids still pending in a pending array record (<c>4-9</c>).</summary>
    public string? ArrayTasks { get; init; }
    public DateTimeOffset? Submitted { get; init; }
    public DateTimeOffset? Eligible { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Ended { get; init; }
    /// <summary>Minutes; null when unlimited or unset.</summary>
    public long? TimeLimitMinutes { get; init; }
    public int? ExitCode { get; init; }
    public int? Signal { get; init; }
    public long? Cpus { get; init; }
    public long? NodeCount { get; init; }
    public long? Tasks { get; init; }
    public long? CpusPerTask { get; init; }
    public long? MemoryPerNodeMb { get; init; }
    public long? MemoryPerCpuMb { get; init; }
    /// <summary>Allocated nodes (hostlist expression).</summary>
    public string? Nodes { get; init; }
    public string? RequiredNodes { get; init; }
    public string? Features { get; init; }
    public string? Dependency { get; init; }
    public string? WorkDir { get; init; }
    public string? StdOut { get; init; }
    public string? StdErr { get; init; }
    public string? TresRequested { get; init; }
    public string? TresAllocated { get; init; }
    public string? Qos { get; init; }
    public string? Account { get; init; }
    public string? BatchHost { get; init; }
    public long? Priority { get; init; }
    public string? Command { get; init; }

    /// <summary><c>123</c>, or <c>123_4</c> for an array task.</summary>
    public string Id => ArrayJobId is { } a && a > 0 && ArrayTaskId is { } t ? $"{a}_{t}"
        : ArrayJobId is { } p && p > 0 && ArrayTasks is { Length: > 0 } tasks ? $"{p}_[{tasks}]"
        : JobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One node: its base state and flags, the admin's reason, and what is allocated on it.</summary>
internal sealed record SlurmNode
{
    public required string Name { get; init; }
    /// <summary>IDLE, MIXED, ALLOCATED, DOWN, FUTURE, UNKNOWN…</summary>
    public string State { get; init; } = "";
    /// <summary>DRAIN, NOT_RESPONDING, COMPLETING, POWERED_DOWN, MAINTENANCE…</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    public string? Reason { get; init; }
    public string? ReasonSetBy { get; init; }
    public DateTimeOffset? ReasonSince { get; init; }
    public long Cpus { get; init; }
    public long AllocatedCpus { get; init; }
    public long MemoryMb { get; init; }
    public long AllocatedMemoryMb { get; init; }
    public long? FreeMemoryMb { get; init; }
    public IReadOnlyList<string> Features { get; init; } = [];
    public IReadOnlyList<string> Partitions { get; init; } = [];
    /// <summary>CPU load × 100, when known.</summary>
    public long? CpuLoad { get; init; }
}

/// <summary>One partition: its state and limits.</summary>
internal sealed record SlurmPartition
{
    public required string Name { get; init; }
    /// <summary>UP, DOWN, DRAIN, INACTIVE.</summary>
    public string State { get; init; } = "";
    public string? NodeList { get; init; }
    public long TotalNodes { get; init; }
    public long TotalCpus { get; init; }
    /// <summary>Minutes; null when unlimited.</summary>
    public long? MaxTimeMinutes { get; init; }
    public long? DefaultTimeMinutes { get; init; }
    /// <summary>Null when unlimited.</summary>
    public long? MaxNodesPerJob { get; init; }
    public long? MaxMemoryPerNodeMb { get; init; }
    public bool IsDefault { get; init; }
}

/// <summary>What slurmctld says about itself (ping and diag).</summary>
internal sealed record SlurmHealth(string? Controller, string? Mode, bool Responding, string? Release, long? JobsPending, long? JobsRunning,
    long? ServerThreads, long? AgentQueue);

/// <summary>The outcome of a submission.</summary>
internal sealed record SlurmSubmitResult(long JobId, string? UserMessage, IReadOnlyList<string> Warnings);

/// <summary>What a submission asks for, in the tools' units; the client writes it in the server's version.</summary>
internal sealed record SlurmJobRequest
{
    public required string Script { get; init; }
    public string? Name { get; init; }
    public string? Partition { get; init; }
    public int? Nodes { get; init; }
    public int? Tasks { get; init; }
    public int? CpusPerTask { get; init; }
    public long? MemoryPerNodeMb { get; init; }
    public int? TimeLimitMinutes { get; init; }
    public string? Array { get; init; }
    public string? Dependency { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public required string WorkDir { get; init; }
}
