namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>How jobs of a definition behave in the sandbox (its <c>sandbox:behaviour</c> tag).</summary>
internal enum JobBehaviour
{
    /// <summary>Runs for the definition's runtime and exits 0.</summary>
    Succeed,
    /// <summary>Exits non-zero halfway, after a Python traceback in its log.</summary>
    ExitNonZero,
    /// <summary>Grows its memory until the kernel kills it: exit 137, <c>OutOfMemoryError</c>.</summary>
    OutOfMemory,
    /// <summary>Its image cannot be pulled: <c>CannotPullContainerError</c>, never RUNNING.</summary>
    ImagePull,
    /// <summary>Its first attempt's Spot instance is reclaimed halfway (<c>Host EC2 (instance …) terminated.</c>); retries succeed.</summary>
    SpotReclaim,
}

/// <summary>A managed compute environment, with the largest instance its types allow (for placement).</summary>
internal sealed class SandboxComputeEnvironment
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public string State { get; set; } = "ENABLED";
    public string Status { get; set; } = "VALID";
    public string StatusReason { get; set; } = "ComputeEnvironment Healthy";
    public required string ResourceType { get; init; }
    public required string Allocation { get; init; }
    public int MinvCpus { get; init; }
    public required int MaxvCpus { get; init; }
    public required List<string> InstanceTypes { get; init; }
    public int? BidPercentage { get; init; }
    public required string Uuid { get; init; }
    public required int InstanceVcpus { get; init; }
    public required int InstanceMemoryMiB { get; init; }

    /// <summary>vCPUs held by placed, starting and running jobs.</summary>
    public double UsedVcpus { get; set; }

    public bool Usable => State == "ENABLED" && Status == "VALID";

    /// <summary>Memory a container can get on the largest instance: the OS and ECS agent keep about 5%.</summary>
    public int UsableMemoryMiB => (int)(InstanceMemoryMiB * 0.95);
}

internal sealed class SandboxJobQueue
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public string State { get; set; } = "ENABLED";
    public required int Priority { get; init; }
    public required List<SandboxComputeEnvironment> Environments { get; init; }
}

internal sealed class SandboxJobDefinition
{
    public required string Name { get; init; }
    public required int Revision { get; init; }
    public required string Arn { get; init; }
    public string Status { get; set; } = "ACTIVE";
    public required string Image { get; init; }
    public required double Vcpus { get; init; }
    public required int MemoryMiB { get; init; }
    public int? Gpus { get; init; }
    public List<string> Command { get; init; } = [];
    public List<(string Name, string Value)> Environment { get; init; } = [];
    public int RetryAttempts { get; init; } = 1;
    public int? TimeoutSeconds { get; init; }
    public JobBehaviour Behaviour { get; init; }
    public int RuntimeSeconds { get; init; } = 30;
    public int ExitCode { get; init; } = 1;

    /// <summary>For array jobs: only the child with this index misbehaves; the others succeed.</summary>
    public int? OnlyIndex { get; init; }
}

internal sealed record SandboxDependency(SandboxJob? Job, string? Type);

internal sealed class SandboxAttempt
{
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public string? StatusReason { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? LogStream { get; set; }
    public required string TaskArn { get; init; }
    public required string ContainerInstanceArn { get; init; }
}

/// <summary>A job and where the simulation has it: status, placement, attempts, next scheduled step.</summary>
internal sealed class SandboxJob
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required SandboxJobQueue Queue { get; init; }
    public required SandboxJobDefinition Definition { get; init; }
    public required long CreatedAt { get; init; }
    public string Status { get; set; } = "SUBMITTED";
    public string? StatusReason { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public List<SandboxAttempt> Attempts { get; } = [];
    public required double Vcpus { get; init; }
    public required int MemoryMiB { get; init; }
    public List<string> Command { get; init; } = [];
    public List<(string Name, string Value)> Environment { get; init; } = [];
    public int RetryAttempts { get; init; } = 1;
    public int? TimeoutSeconds { get; init; }
    public List<SandboxDependency> DependsOn { get; init; } = [];

    /// <summary>The dependencies as submitted (job id and type), for DescribeJobs.</summary>
    public List<(string? JobId, string? Type)> SubmittedDependsOn { get; init; } = [];
    public Dictionary<string, string>? Parameters { get; init; }
    public Dictionary<string, string>? Tags { get; init; }

    public int? ArraySize { get; init; }
    public int? ArrayIndex { get; init; }
    public SandboxJob? Parent { get; init; }
    public List<SandboxJob> Children { get; } = [];

    public bool IsCancelled { get; set; }
    public bool IsTerminated { get; set; }

    /// <summary>A cancel that waits for the job's dependencies to finish (CancelJob on a PENDING job).</summary>
    public string? CancelRequested { get; set; }

    /// <summary>Where it is placed while RUNNABLE (reserved), STARTING or RUNNING.</summary>
    public SandboxComputeEnvironment? Placement { get; set; }

    public string? TaskId { get; set; }
    public string? InstanceId { get; set; }

    /// <summary>When its next step is due (epoch ms), with a version so stale queue entries are skipped.</summary>
    public long? NextAt { get; set; }
    public long ScheduleVersion { get; set; }

    public bool IsFinal => Status is "SUCCEEDED" or "FAILED";

    public bool IsArrayParent => ArraySize is not null && ArrayIndex is null;

    public SandboxAttempt? CurrentAttempt => Attempts.Count > 0 && Attempts[^1].StoppedAt is null ? Attempts[^1] : null;
}
