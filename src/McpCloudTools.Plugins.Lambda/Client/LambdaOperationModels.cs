using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpCloudTools.Plugins.Lambda.Client;

/// <summary>GetFunction / GetFunctionConfiguration input.</summary>
public sealed class GetFunctionRequest
{
    /// <summary>Name, <c>name:qualifier</c>, or full or partial ARN.</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>Version or alias.</summary>
    public string? Qualifier { get; set; }
}

/// <summary>GetFunction output.</summary>
public sealed class GetFunctionResponse
{
    /// <summary>The configuration, with state.</summary>
    public FunctionConfiguration? Configuration { get; set; }

    /// <summary>Where the code is. <c>Location</c> is a presigned URL: never show it.</summary>
    public FunctionCodeLocation? Code { get; set; }

    /// <summary>Tags.</summary>
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>Reserved concurrency, when set.</summary>
    public Concurrency? Concurrency { get; set; }
}

/// <summary>Where the function's code lives.</summary>
public sealed class FunctionCodeLocation
{
    /// <summary>S3 or ECR.</summary>
    public string? RepositoryType { get; set; }
    /// <summary>A presigned S3 URL, valid 10 minutes.</summary>
    public string? Location { get; set; }
    /// <summary>Container image URI.</summary>
    public string? ImageUri { get; set; }
    /// <summary>Image URI by digest.</summary>
    public string? ResolvedImageUri { get; set; }
}

/// <summary>Reserved concurrency.</summary>
public sealed class Concurrency
{
    /// <summary>Executions reserved for the function.</summary>
    public int? ReservedConcurrentExecutions { get; set; }
}

/// <summary>Invoke input.</summary>
public sealed class InvokeRequest
{
    /// <summary>Name, <c>name:qualifier</c>, or ARN.</summary>
    public string FunctionName { get; set; } = "";
    /// <summary>RequestResponse (default), Event or DryRun.</summary>
    public string? InvocationType { get; set; }
    /// <summary><c>Tail</c> returns the last 4 KB of the log (synchronous calls).</summary>
    public string? LogType { get; set; }
    /// <summary>Base64 client context.</summary>
    public string? ClientContext { get; set; }
    /// <summary>Version or alias.</summary>
    public string? Qualifier { get; set; }
    /// <summary>The JSON event, sent as is.</summary>
    public string? Payload { get; set; }
    /// <summary>How long to wait for the answer (a synchronous call lasts as long as the function); null: the default.</summary>
    public TimeSpan? ResponseTimeout { get; set; }
}

/// <summary>Invoke output.</summary>
public sealed class InvokeResponse
{
    /// <summary>200, 202 (Event) or 204 (DryRun).</summary>
    public int StatusCode { get; set; }
    /// <summary><c>Unhandled</c> or <c>Handled</c> when the function itself failed.</summary>
    public string? FunctionError { get; set; }
    /// <summary>Base64 of the last 4 KB of the log.</summary>
    public string? LogResult { get; set; }
    /// <summary>The response payload, raw.</summary>
    public byte[] Payload { get; set; } = [];
    /// <summary>The version that ran.</summary>
    public string? ExecutedVersion { get; set; }
}

/// <summary>ListVersionsByFunction input.</summary>
public sealed class ListVersionsByFunctionRequest
{
    /// <summary>Function.</summary>
    public string FunctionName { get; set; } = "";
    /// <summary>Marker.</summary>
    public string? Marker { get; set; }
    /// <summary>Page size (≤ 50 served).</summary>
    public int? MaxItems { get; set; }
}

/// <summary>ListVersionsByFunction output.</summary>
public sealed class ListVersionsByFunctionResponse
{
    /// <summary><c>$LATEST</c>, then published versions.</summary>
    public List<FunctionConfiguration>? Versions { get; set; }
    /// <summary>Next marker.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>ListAliases input.</summary>
public sealed class ListAliasesRequest
{
    /// <summary>Function.</summary>
    public string FunctionName { get; set; } = "";
    /// <summary>Only aliases of this version.</summary>
    public string? FunctionVersion { get; set; }
    /// <summary>Marker.</summary>
    public string? Marker { get; set; }
    /// <summary>Page size.</summary>
    public int? MaxItems { get; set; }
}

/// <summary>ListAliases output.</summary>
public sealed class ListAliasesResponse
{
    /// <summary>Aliases.</summary>
    public List<AliasConfiguration>? Aliases { get; set; }
    /// <summary>Next marker.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>An alias.</summary>
public sealed class AliasConfiguration
{
    /// <summary>ARN.</summary>
    public string? AliasArn { get; set; }
    /// <summary>Name.</summary>
    public string? Name { get; set; }
    /// <summary>Primary version.</summary>
    public string? FunctionVersion { get; set; }
    /// <summary>Description.</summary>
    public string? Description { get; set; }
    /// <summary>Weighted routing to an additional version.</summary>
    public AliasRoutingConfiguration? RoutingConfig { get; set; }
    /// <summary>Revision.</summary>
    public string? RevisionId { get; set; }
}

/// <summary>Weighted alias routing.</summary>
public sealed class AliasRoutingConfiguration
{
    /// <summary>Version → share of invocations (0–1); the primary version gets the rest.</summary>
    public Dictionary<string, double>? AdditionalVersionWeights { get; set; }
}

/// <summary>ListEventSourceMappings input.</summary>
public sealed class ListEventSourceMappingsRequest
{
    /// <summary>Only this source.</summary>
    public string? EventSourceArn { get; set; }
    /// <summary>Only this function.</summary>
    public string? FunctionName { get; set; }
    /// <summary>Marker.</summary>
    public string? Marker { get; set; }
    /// <summary>Page size (≤ 100 served).</summary>
    public int? MaxItems { get; set; }
}

/// <summary>ListEventSourceMappings output.</summary>
public sealed class ListEventSourceMappingsResponse
{
    /// <summary>Mappings.</summary>
    public List<EventSourceMappingConfiguration>? EventSourceMappings { get; set; }
    /// <summary>Next marker.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>An event source mapping.</summary>
public sealed class EventSourceMappingConfiguration
{
    /// <summary>Id.</summary>
    public string? UUID { get; set; }
    /// <summary>Stream start.</summary>
    public string? StartingPosition { get; set; }
    /// <summary>Records per batch.</summary>
    public int? BatchSize { get; set; }
    /// <summary>Batching window.</summary>
    public int? MaximumBatchingWindowInSeconds { get; set; }
    /// <summary>Source ARN (SQS, Kinesis, DynamoDB stream, Kafka…).</summary>
    public string? EventSourceArn { get; set; }
    /// <summary>Target function.</summary>
    public string? FunctionArn { get; set; }
    /// <summary>Epoch seconds on the wire (unlike a function's string <c>LastModified</c>).</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? LastModified { get; set; }
    /// <summary><c>OK</c>, <c>PROBLEM: …</c>, <c>No records processed</c>.</summary>
    public string? LastProcessingResult { get; set; }
    /// <summary>Creating, Enabling, Enabled, Disabling, Disabled, Updating, Deleting.</summary>
    public string? State { get; set; }
    /// <summary>Who or what changed the state.</summary>
    public string? StateTransitionReason { get; set; }
    /// <summary>Where failed batches go.</summary>
    public DestinationConfig? DestinationConfig { get; set; }
    /// <summary>Retries before discarding a batch.</summary>
    public int? MaximumRetryAttempts { get; set; }
    /// <summary>ARN of the mapping.</summary>
    public string? EventSourceMappingArn { get; set; }
}

/// <summary>Destinations.</summary>
public sealed class DestinationConfig
{
    /// <summary>On failure.</summary>
    public OnFailure? OnFailure { get; set; }
}

/// <summary>Failure destination.</summary>
public sealed class OnFailure
{
    /// <summary>ARN.</summary>
    public string? Destination { get; set; }
}

/// <summary>GetAccountSettings input (empty).</summary>
public sealed class GetAccountSettingsRequest;

/// <summary>GetAccountSettings output.</summary>
public sealed class GetAccountSettingsResponse
{
    /// <summary>Limits.</summary>
    public AccountLimit? AccountLimit { get; set; }
    /// <summary>Usage.</summary>
    public AccountUsage? AccountUsage { get; set; }
}

/// <summary>Account limits in the region.</summary>
public sealed class AccountLimit
{
    /// <summary>Code storage, bytes.</summary>
    public long? TotalCodeSize { get; set; }
    /// <summary>Unzipped package limit, bytes.</summary>
    public long? CodeSizeUnzipped { get; set; }
    /// <summary>Zipped upload limit, bytes.</summary>
    public long? CodeSizeZipped { get; set; }
    /// <summary>Concurrent executions.</summary>
    public int? ConcurrentExecutions { get; set; }
    /// <summary>Concurrency left after reservations.</summary>
    public int? UnreservedConcurrentExecutions { get; set; }
}

/// <summary>Account usage in the region.</summary>
public sealed class AccountUsage
{
    /// <summary>Code storage used, bytes.</summary>
    public long? TotalCodeSize { get; set; }
    /// <summary>Functions.</summary>
    public long? FunctionCount { get; set; }
}

/// <summary>UpdateFunctionConfiguration input; members left null are unchanged.</summary>
public sealed class UpdateFunctionConfigurationRequest
{
    /// <summary>Function (path label, not in the body).</summary>
    [JsonIgnore]
    public string FunctionName { get; set; } = "";
    /// <summary>Description.</summary>
    public string? Description { get; set; }
    /// <summary>Timeout, s.</summary>
    public int? Timeout { get; set; }
    /// <summary>Memory, MB.</summary>
    public int? MemorySize { get; set; }
    /// <summary>The complete new variable set.</summary>
    public Environment? Environment { get; set; }
    /// <summary>Refuse the update (412) unless the function is still at this revision.</summary>
    public string? RevisionId { get; set; }
}

/// <summary>Reads epoch seconds (with a fraction) as a time.</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000))
            : null;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v) writer.WriteNumberValue(v.ToUnixTimeMilliseconds() / 1000.0);
        else writer.WriteNullValue();
    }
}
