using System.Globalization;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Lambda;

/// <summary>State → wire shapes, Lambda's timestamp formats, and its opaque paging markers.</summary>
internal static class LambdaWire
{
    /// <summary>Lambda's function timestamp: <c>2024-05-01T12:00:00.000+0000</c> (a string, with a colon-less offset).</summary>
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    /// <summary>Epoch seconds with a fraction, as event source mappings carry <c>LastModified</c>.</summary>
    public static double EpochSeconds(DateTimeOffset t) => Math.Round(t.ToUnixTimeMilliseconds() / 1000.0, 3);

    /// <summary>
    /// A function configuration as Lambda sends it. <paramref name="full"/> adds what only GetFunction and
    /// GetFunctionConfiguration return (state and last update status); ListFunctions leaves them out.
    /// </summary>
    public static FunctionConfigurationWire Function(FunctionConfig c, string arn, bool full) => new()
    {
        FunctionName = c.Name, FunctionArn = arn, Runtime = c.Runtime, Role = c.Role, Handler = c.Handler,
        CodeSize = c.CodeSize, Description = c.Description, Timeout = c.Timeout, MemorySize = c.MemorySize,
        LastModified = Timestamp(c.LastModified), CodeSha256 = c.CodeSha256, Version = c.Version,
        VpcConfig = c.Vpc is { } vpc
            ? new VpcConfigWire { VpcId = vpc.VpcId, SubnetIds = [.. vpc.SubnetIds], SecurityGroupIds = [.. vpc.SecurityGroupIds] }
            : null,
        Environment = c.Environment.Count > 0 ? new EnvironmentWire { Variables = new(c.Environment, StringComparer.Ordinal) } : null,
        TracingConfig = new TracingConfigWire { Mode = c.TracingMode },
        RevisionId = c.RevisionId,
        Layers = c.Layers.IsEmpty ? null : [.. c.Layers.Select(l => new LayerWire { Arn = l, CodeSize = 1_482_311 })],
        State = full ? c.State : null,
        StateReason = full ? c.StateReason : null,
        StateReasonCode = full ? c.StateReasonCode : null,
        LastUpdateStatus = full ? c.LastUpdateStatus : null,
        LastUpdateStatusReason = full ? c.LastUpdateStatusReason : null,
        LastUpdateStatusReasonCode = full ? c.LastUpdateStatusReasonCode : null,
        PackageType = c.PackageType,
        Architectures = [c.Architecture],
        EphemeralStorage = new EphemeralStorageWire { Size = c.EphemeralStorage },
        SnapStart = new SnapStartWire { ApplyOn = c.SnapStartApplyOn ?? "None", OptimizationStatus = c.SnapStartApplyOn is null ? "Off" : c.Version == "$LATEST" ? "Off" : "On" },
        LoggingConfig = new LoggingConfigWire { LogFormat = c.LogFormat, LogGroup = c.EffectiveLogGroup },
        DeadLetterConfig = c.DeadLetterTarget is { } dlq ? new DeadLetterConfigWire { TargetArn = dlq } : null,
    };

    /// <summary>An alias as ListAliases returns it.</summary>
    public static AliasWire Alias(AliasState a, string functionArn) => new()
    {
        AliasArn = $"{functionArn}:{a.Name}", Name = a.Name, FunctionVersion = a.FunctionVersion, Description = a.Description,
        RoutingConfig = a.AdditionalVersionWeights.Count > 0
            ? new AliasRoutingWire { AdditionalVersionWeights = new(a.AdditionalVersionWeights, StringComparer.Ordinal) }
            : null,
        RevisionId = a.RevisionId,
    };

    /// <summary>An event source mapping as ListEventSourceMappings returns it.</summary>
    public static EventSourceMappingWire Mapping(EventSourceMappingState m, string functionArn, string mappingArn) => new()
    {
        UUID = m.Uuid, StartingPosition = m.StartingPosition, BatchSize = m.BatchSize,
        MaximumBatchingWindowInSeconds = m.MaximumBatchingWindowInSeconds, ParallelizationFactor = m.ParallelizationFactor,
        EventSourceArn = m.EventSourceArn, FunctionArn = functionArn, LastModified = EpochSeconds(m.LastModified),
        LastProcessingResult = m.LastProcessingResult, State = m.State, StateTransitionReason = m.StateTransitionReason,
        DestinationConfig = m.OnFailureDestination is { } d ? new DestinationConfigWire { OnFailure = new OnFailureWire { Destination = d } } : null,
        MaximumRecordAgeInSeconds = m.MaximumRecordAgeInSeconds, BisectBatchOnFunctionError = m.BisectBatchOnFunctionError,
        MaximumRetryAttempts = m.MaximumRetryAttempts,
        FunctionResponseTypes = m.FunctionResponseTypes.IsEmpty ? null : [.. m.FunctionResponseTypes],
        EventSourceMappingArn = mappingArn,
    };

    /// <summary>An opaque marker carrying a position (the name or index after which the next page starts).</summary>
    public static string Marker(string kind, string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{kind}|{position}"));

    /// <summary>Reads a marker of <paramref name="kind"/>; anything else answers InvalidParameterValueException.</summary>
    public static string ReadMarker(string kind, string marker)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            if (text.StartsWith(kind + "|", StringComparison.Ordinal)) return text[(kind.Length + 1)..];
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }
        throw new SandboxApiException(400, "InvalidParameterValueException", "Invalid Marker provided");
    }

    /// <summary>An index marker.</summary>
    public static int ReadIndexMarker(string kind, string marker) =>
        int.TryParse(ReadMarker(kind, marker), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new SandboxApiException(400, "InvalidParameterValueException", "Invalid Marker provided");
}
