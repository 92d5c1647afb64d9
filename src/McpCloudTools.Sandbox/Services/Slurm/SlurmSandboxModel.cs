namespace McpCloudTools.Sandbox.Services.Slurm;

/// <summary>A partition of the emulated cluster.</summary>
internal sealed record SlurmSandboxPartition(string Name, string State, IReadOnlyList<string> Nodes, long? MaxTimeMinutes, bool IsDefault, long? MaxNodesPerJob = null);

/// <summary>A node: base state, flags, the admin's reason, and what is allocated on it.</summary>
internal sealed record SlurmSandboxNode(string Name, string State, IReadOnlyList<string> Flags, string? Reason, string? ReasonBy, DateTimeOffset? ReasonAt,
    int Cpus, int AllocCpus, long MemoryMb, long AllocMemoryMb, IReadOnlyList<string> Features, IReadOnlyList<string> Partitions, int CpuLoad);

/// <summary>
/// A job and its plan on the sandbox clock: pending until <see cref="Start"/> (never, with a fixed reason, when null),
/// running until <see cref="End"/>, then <see cref="FinalState"/>. Dependencies are resolved when the job is read.
/// </summary>
internal sealed class SlurmSandboxJob
{
    public required long JobId { get; init; }
    public required string Name { get; init; }
    public string User { get; init; } = "alice";
    public required string Partition { get; init; }
    public required DateTimeOffset Submitted { get; init; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    /// <summary>Why it pends while it does (Priority, Resources, or a reason that holds it for good when Start is null).</summary>
    public string PendingReason { get; set; } = "Priority";
    public string FinalState { get; set; } = "COMPLETED";
    public string FinalReason { get; set; } = "None";
    public int ExitCode { get; set; }
    public int Signal { get; set; }
    public long? TimeLimitMinutes { get; init; }
    public int Nodes { get; init; } = 1;
    public int Cpus { get; init; } = 1;
    public int Tasks { get; init; } = 1;
    public long? MemoryPerNodeMb { get; init; }
    public string? NodeList { get; init; }
    public string? RequiredNodes { get; init; }
    public string? Dependency { get; init; }
    public string WorkDir { get; init; } = "/home/alice";
    public long? ArrayJobId { get; init; }
    public long? ArrayTaskId { get; init; }
    /// <summary>The pending tasks a pending array record stands for (<c>3-4%2</c>).</summary>
    public string? ArrayTaskString { get; init; }
    public long Priority { get; init; } = 1000;
    public string Qos { get; init; } = "normal";
    public string Account { get; init; } = "research";
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Dependencies of a submitted job (kind, job id), resolved each time the job is read.</summary>
    public IReadOnlyList<(string Kind, long JobId)> DependsOn { get; init; } = [];

    /// <summary>How long a submitted job runs once started (its time limit cuts it short).</summary>
    public TimeSpan Runtime { get; init; }

    /// <summary>State, reason, start and end as of <paramref name="now"/> (dependencies already resolved by the caller).</summary>
    public (string State, string Reason, DateTimeOffset? Started, DateTimeOffset? Ended) At(DateTimeOffset now)
    {
        if (CancelledAt is { } c && c <= now)
        {
            var started = Start is { } s && s <= c ? s : (DateTimeOffset?)null;
            return ("CANCELLED", "None", started, c);
        }

        if (Start is not { } start || now < start)
        {
            return ("PENDING", PendingReason, null, null);
        }

        return End is { } end && now >= end ? (FinalState, FinalReason, start, end) : ("RUNNING", "None", start, null);
    }
}
