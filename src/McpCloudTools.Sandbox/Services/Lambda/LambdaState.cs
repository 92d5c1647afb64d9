using System.Collections.Immutable;

namespace McpCloudTools.Sandbox.Services.Lambda;

/// <summary>One configuration of a function: <c>$LATEST</c> (changes) or a published version (frozen).</summary>
internal sealed record FunctionConfig
{
    public required string Name { get; init; }
    public string? Runtime { get; init; }
    public required string Role { get; init; }
    public string? Handler { get; init; }
    public long CodeSize { get; init; }
    public string Description { get; init; } = "";
    public int Timeout { get; init; } = 3;
    public int MemorySize { get; init; } = 128;
    public DateTimeOffset LastModified { get; init; }
    public required string CodeSha256 { get; init; }
    public string Version { get; init; } = "$LATEST";
    public VpcSettings? Vpc { get; init; }
    public ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public string TracingMode { get; init; } = "PassThrough";
    public required string RevisionId { get; init; }
    public ImmutableArray<string> Layers { get; init; } = [];
    public string State { get; init; } = "Active";
    public string? StateReason { get; init; }
    public string? StateReasonCode { get; init; }
    public string LastUpdateStatus { get; init; } = "Successful";
    public string? LastUpdateStatusReason { get; init; }
    public string? LastUpdateStatusReasonCode { get; init; }
    public string PackageType { get; init; } = "Zip";
    public string Architecture { get; init; } = "x86_64";
    public int EphemeralStorage { get; init; } = 512;
    public string? SnapStartApplyOn { get; init; }
    public string LogFormat { get; init; } = "Text";

    /// <summary>A custom log group (<c>LoggingConfig.LogGroup</c>); null means <c>/aws/lambda/&lt;name&gt;</c>.</summary>
    public string? LogGroup { get; init; }

    public string? DeadLetterTarget { get; init; }
    public string? ImageUri { get; init; }

    /// <summary>Where the function's invocations write their logs.</summary>
    public string EffectiveLogGroup => LogGroup ?? $"/aws/lambda/{Name}";
}

/// <summary>A function's VPC attachment.</summary>
internal sealed record VpcSettings(string VpcId, ImmutableArray<string> SubnetIds, ImmutableArray<string> SecurityGroupIds);

/// <summary>An alias: a name for a version, optionally routing a share of invocations to a second version.</summary>
internal sealed record AliasState(string Name, string FunctionVersion, string Description,
    ImmutableSortedDictionary<string, double> AdditionalVersionWeights, string RevisionId);

/// <summary>An event source mapping (SQS, Kinesis, DynamoDB streams) and its last processing result.</summary>
internal sealed record EventSourceMappingState(string Uuid, string FunctionName, string EventSourceArn, string State,
    string StateTransitionReason, int BatchSize, DateTimeOffset LastModified)
{
    public string? StartingPosition { get; init; }
    public string? LastProcessingResult { get; init; }
    public int? MaximumBatchingWindowInSeconds { get; init; }
    public int? ParallelizationFactor { get; init; }
    public string? OnFailureDestination { get; init; }
    public int? MaximumRetryAttempts { get; init; }
    public int? MaximumRecordAgeInSeconds { get; init; }
    public bool? BisectBatchOnFunctionError { get; init; }
    public ImmutableArray<string> FunctionResponseTypes { get; init; } = [];
}

/// <summary>
/// A function with everything hanging off it. Mutated only under the service's lock; time-driven changes
/// (an update finishing, a pending function becoming active) are applied by <see cref="Settle"/> when read.
/// </summary>
internal sealed class FunctionState(FunctionConfig latest)
{
    public FunctionConfig Latest { get; set; } = latest;

    /// <summary>Published versions, oldest first.</summary>
    public List<FunctionConfig> Versions { get; } = [];

    public SortedDictionary<string, AliasState> Aliases { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public int? ReservedConcurrency { get; set; }

    /// <summary>When the update in progress finishes (sandbox time).</summary>
    public DateTimeOffset? UpdateCompletesAt { get; set; }

    /// <summary>When a function woken from Inactive becomes Active again (sandbox time).</summary>
    public DateTimeOffset? ActiveAt { get; set; }

    /// <summary>The log stream of each version's warm execution environment.</summary>
    public Dictionary<string, string> LogStreams { get; } = new(StringComparer.Ordinal);

    /// <summary>Invocations started (synchronous and asynchronous), for tests and the state summary.</summary>
    public int Invocations { get; set; }

    /// <summary>An opaque code-package id for the presigned code URL.</summary>
    public required string CodeId { get; init; }

    /// <summary>Applies the state changes that sandbox time has brought about by <paramref name="now"/>.</summary>
    public void Settle(DateTimeOffset now)
    {
        if (UpdateCompletesAt is { } done && done <= now)
        {
            Latest = Latest with { LastUpdateStatus = "Successful", LastUpdateStatusReason = null, LastUpdateStatusReasonCode = null };
            UpdateCompletesAt = null;
        }
        if (ActiveAt is { } active && active <= now)
        {
            Latest = Latest with { State = "Active", StateReason = null, StateReasonCode = null };
            ActiveAt = null;
        }
    }

    /// <summary>The configuration a version string names: <c>$LATEST</c> or a published number; null when absent.</summary>
    public FunctionConfig? Version(string version) =>
        version == "$LATEST" ? Latest : Versions.FirstOrDefault(v => v.Version == version);
}
