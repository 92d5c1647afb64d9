using System.Text.Json.Serialization;

namespace McpCloudTools.Sandbox.Services.Lambda;

// The sandbox's own Lambda wire shapes (lambda.service-2.json, restJson1, PascalCase members), kept apart from the
// plugin's client models so that a mistake in one cannot be cancelled out by the same mistake in the other.

internal sealed class FunctionConfigurationWire
{
    public string? FunctionName { get; set; }
    public string? FunctionArn { get; set; }
    public string? Runtime { get; set; }
    public string? Role { get; set; }
    public string? Handler { get; set; }
    public long CodeSize { get; set; }
    public string? Description { get; set; }
    public int Timeout { get; set; }
    public int MemorySize { get; set; }

    /// <summary>A string, not a timestamp: <c>2024-05-01T12:00:00.000+0000</c>.</summary>
    public string? LastModified { get; set; }

    public string? CodeSha256 { get; set; }
    public string? Version { get; set; }
    public VpcConfigWire? VpcConfig { get; set; }
    public EnvironmentWire? Environment { get; set; }
    public TracingConfigWire? TracingConfig { get; set; }
    public string? RevisionId { get; set; }
    public List<LayerWire>? Layers { get; set; }
    public string? State { get; set; }
    public string? StateReason { get; set; }
    public string? StateReasonCode { get; set; }
    public string? LastUpdateStatus { get; set; }
    public string? LastUpdateStatusReason { get; set; }
    public string? LastUpdateStatusReasonCode { get; set; }
    public string? PackageType { get; set; }
    public List<string>? Architectures { get; set; }
    public EphemeralStorageWire? EphemeralStorage { get; set; }
    public SnapStartWire? SnapStart { get; set; }
    public LoggingConfigWire? LoggingConfig { get; set; }
    public DeadLetterConfigWire? DeadLetterConfig { get; set; }
    public string? KMSKeyArn { get; set; }
}

internal sealed class VpcConfigWire
{
    public List<string>? SubnetIds { get; set; }
    public List<string>? SecurityGroupIds { get; set; }
    public string? VpcId { get; set; }
    public bool Ipv6AllowedForDualStack { get; set; }
}

internal sealed class EnvironmentWire
{
    public Dictionary<string, string>? Variables { get; set; }
}

internal sealed class TracingConfigWire
{
    public string? Mode { get; set; }
}

internal sealed class LayerWire
{
    public string? Arn { get; set; }
    public long CodeSize { get; set; }
}

internal sealed class EphemeralStorageWire
{
    public int Size { get; set; }
}

internal sealed class SnapStartWire
{
    public string? ApplyOn { get; set; }
    public string? OptimizationStatus { get; set; }
}

internal sealed class LoggingConfigWire
{
    public string? LogFormat { get; set; }
    public string? ApplicationLogLevel { get; set; }
    public string? SystemLogLevel { get; set; }
    public string? LogGroup { get; set; }
}

internal sealed class DeadLetterConfigWire
{
    public string? TargetArn { get; set; }
}

internal sealed class ListFunctionsOutput
{
    public string? NextMarker { get; set; }
    public List<FunctionConfigurationWire> Functions { get; set; } = [];
}

internal sealed class ListVersionsOutput
{
    public string? NextMarker { get; set; }
    public List<FunctionConfigurationWire> Versions { get; set; } = [];
}

internal sealed class GetFunctionOutput
{
    public FunctionConfigurationWire? Configuration { get; set; }
    public FunctionCodeLocationWire? Code { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public ConcurrencyWire? Concurrency { get; set; }
}

internal sealed class FunctionCodeLocationWire
{
    public string? RepositoryType { get; set; }

    /// <summary>A presigned S3 URL valid for 10 minutes; clients must never echo it.</summary>
    public string? Location { get; set; }

    public string? ImageUri { get; set; }
    public string? ResolvedImageUri { get; set; }
}

internal sealed class ConcurrencyWire
{
    public int ReservedConcurrentExecutions { get; set; }
}

internal sealed class AliasWire
{
    public string? AliasArn { get; set; }
    public string? Name { get; set; }
    public string? FunctionVersion { get; set; }
    public string? Description { get; set; }
    public AliasRoutingWire? RoutingConfig { get; set; }
    public string? RevisionId { get; set; }
}

internal sealed class AliasRoutingWire
{
    public Dictionary<string, double>? AdditionalVersionWeights { get; set; }
}

internal sealed class ListAliasesOutput
{
    public string? NextMarker { get; set; }
    public List<AliasWire> Aliases { get; set; } = [];
}

internal sealed class EventSourceMappingWire
{
    public string? UUID { get; set; }
    public string? StartingPosition { get; set; }
    public int BatchSize { get; set; }
    public int? MaximumBatchingWindowInSeconds { get; set; }
    public int? ParallelizationFactor { get; set; }
    public string? EventSourceArn { get; set; }
    public string? FunctionArn { get; set; }

    /// <summary>Epoch seconds as a JSON number, unlike the function's <c>LastModified</c> string.</summary>
    public double LastModified { get; set; }

    public string? LastProcessingResult { get; set; }
    public string? State { get; set; }
    public string? StateTransitionReason { get; set; }
    public DestinationConfigWire? DestinationConfig { get; set; }
    public int? MaximumRecordAgeInSeconds { get; set; }
    public bool? BisectBatchOnFunctionError { get; set; }
    public int? MaximumRetryAttempts { get; set; }
    public List<string>? FunctionResponseTypes { get; set; }
    public string? EventSourceMappingArn { get; set; }
}

internal sealed class DestinationConfigWire
{
    public OnFailureWire? OnFailure { get; set; }
}

internal sealed class OnFailureWire
{
    public string? Destination { get; set; }
}

internal sealed class ListEventSourceMappingsOutput
{
    public string? NextMarker { get; set; }
    public List<EventSourceMappingWire> EventSourceMappings { get; set; } = [];
}

internal sealed class AccountSettingsOutput
{
    public AccountLimitWire AccountLimit { get; set; } = new();
    public AccountUsageWire AccountUsage { get; set; } = new();
}

internal sealed class AccountLimitWire
{
    public long TotalCodeSize { get; set; }
    public long CodeSizeUnzipped { get; set; }
    public long CodeSizeZipped { get; set; }
    public int ConcurrentExecutions { get; set; }
    public int UnreservedConcurrentExecutions { get; set; }
}

internal sealed class AccountUsageWire
{
    public long TotalCodeSize { get; set; }
    public long FunctionCount { get; set; }
}

/// <summary>The members of <c>UpdateFunctionConfiguration</c> the sandbox applies; others are accepted and ignored.</summary>
internal sealed class UpdateFunctionConfigurationInput
{
    public string? Role { get; set; }
    public string? Handler { get; set; }
    public string? Description { get; set; }
    public int? Timeout { get; set; }
    public int? MemorySize { get; set; }
    public EnvironmentWire? Environment { get; set; }
    public string? Runtime { get; set; }
    public TracingConfigWire? TracingConfig { get; set; }
    public string? RevisionId { get; set; }
    public EphemeralStorageWire? EphemeralStorage { get; set; }
    public LoggingConfigWire? LoggingConfig { get; set; }
}

/// <summary>
/// Lambda's own context: its members are PascalCase on the wire, unlike the camelCase services of the shared
/// <see cref="SandboxJsonContext"/>, so they get their own naming options here.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ListFunctionsOutput))]
[JsonSerializable(typeof(ListVersionsOutput))]
[JsonSerializable(typeof(GetFunctionOutput))]
[JsonSerializable(typeof(FunctionConfigurationWire))]
[JsonSerializable(typeof(ListAliasesOutput))]
[JsonSerializable(typeof(ListEventSourceMappingsOutput))]
[JsonSerializable(typeof(AccountSettingsOutput))]
[JsonSerializable(typeof(UpdateFunctionConfigurationInput))]
internal sealed partial class LambdaWireJsonContext : JsonSerializerContext;
