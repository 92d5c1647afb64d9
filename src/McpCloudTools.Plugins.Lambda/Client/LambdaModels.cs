using System.Text.Json.Serialization;

namespace McpCloudTools.Plugins.Lambda.Client;

// Request and response shapes of AWS Lambda 2015-03-31 (lambda.service-2.json), named as in AWSSDK.Lambda so that
// moving to the official package is a change of the client file. Unknown members are ignored on read.

/// <summary>ListFunctions input.</summary>
public sealed class ListFunctionsRequest
{
    /// <summary><c>ALL</c> adds every published version.</summary>
    public string? FunctionVersion { get; set; }

    /// <summary>Lambda@Edge replica region filter.</summary>
    public string? MasterRegion { get; set; }

    /// <summary>Paging marker from the previous page.</summary>
    public string? Marker { get; set; }

    /// <summary>Page size; Lambda returns at most 50 whatever is asked.</summary>
    public int? MaxItems { get; set; }
}

/// <summary>ListFunctions output.</summary>
public sealed class ListFunctionsResponse
{
    /// <summary>Functions; without State and LastUpdateStatus (GetFunctionConfiguration has them).</summary>
    public List<FunctionConfiguration>? Functions { get; set; }

    /// <summary>Marker of the next page, or null.</summary>
    public string? NextMarker { get; set; }
}

/// <summary>A function's (or version's) configuration.</summary>
public sealed class FunctionConfiguration
{
    /// <summary>Name.</summary>
    public string? FunctionName { get; set; }
    /// <summary>ARN, qualified for versions and aliases.</summary>
    public string? FunctionArn { get; set; }
    /// <summary>Runtime identifier; null for container images.</summary>
    public string? Runtime { get; set; }
    /// <summary>Execution role.</summary>
    public string? Role { get; set; }
    /// <summary>Handler.</summary>
    public string? Handler { get; set; }
    /// <summary>Deployment package size in bytes.</summary>
    public long? CodeSize { get; set; }
    /// <summary>Description.</summary>
    public string? Description { get; set; }
    /// <summary>Timeout in seconds.</summary>
    public int? Timeout { get; set; }
    /// <summary>Memory in MB.</summary>
    public int? MemorySize { get; set; }
    /// <summary>A string such as <c>2024-05-01T12:00:00.000+0000</c>; see <see cref="LastModifiedTime"/>.</summary>
    public string? LastModified { get; set; }
    /// <summary>Package hash (base64).</summary>
    public string? CodeSha256 { get; set; }
    /// <summary><c>$LATEST</c> or a version number.</summary>
    public string? Version { get; set; }
    /// <summary>VPC attachment.</summary>
    public VpcConfigResponse? VpcConfig { get; set; }
    /// <summary>Environment variables (values are secrets).</summary>
    public EnvironmentResponse? Environment { get; set; }
    /// <summary>X-Ray tracing.</summary>
    public TracingConfigResponse? TracingConfig { get; set; }
    /// <summary>Optimistic-lock token for updates.</summary>
    public string? RevisionId { get; set; }
    /// <summary>Layers.</summary>
    public List<Layer>? Layers { get; set; }
    /// <summary>Pending, Active, Inactive, Failed…</summary>
    public string? State { get; set; }
    /// <summary>Why the function is in its state.</summary>
    public string? StateReason { get; set; }
    /// <summary>Reason code.</summary>
    public string? StateReasonCode { get; set; }
    /// <summary>Successful, Failed or InProgress.</summary>
    public string? LastUpdateStatus { get; set; }
    /// <summary>Why the last update is in its status.</summary>
    public string? LastUpdateStatusReason { get; set; }
    /// <summary>Reason code.</summary>
    public string? LastUpdateStatusReasonCode { get; set; }
    /// <summary>Zip or Image.</summary>
    public string? PackageType { get; set; }
    /// <summary><c>x86_64</c> or <c>arm64</c>.</summary>
    public List<string>? Architectures { get; set; }
    /// <summary>/tmp size.</summary>
    public EphemeralStorage? EphemeralStorage { get; set; }
    /// <summary>SnapStart setting.</summary>
    public SnapStartResponse? SnapStart { get; set; }
    /// <summary>Log format and group.</summary>
    public LoggingConfig? LoggingConfig { get; set; }
    /// <summary>Dead-letter target.</summary>
    public DeadLetterConfig? DeadLetterConfig { get; set; }
    /// <summary>KMS key for environment encryption.</summary>
    public string? KMSKeyArn { get; set; }

    /// <summary><see cref="LastModified"/> parsed (its <c>+0000</c> offset included), or null.</summary>
    [JsonIgnore]
    public DateTimeOffset? LastModifiedTime => DateTimeOffset.TryParse(LastModified, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}

/// <summary>VPC attachment.</summary>
public sealed class VpcConfigResponse
{
    /// <summary>Subnets.</summary>
    public List<string>? SubnetIds { get; set; }
    /// <summary>Security groups.</summary>
    public List<string>? SecurityGroupIds { get; set; }
    /// <summary>VPC.</summary>
    public string? VpcId { get; set; }
}

/// <summary>Environment variables as read.</summary>
public sealed class EnvironmentResponse
{
    /// <summary>Variables.</summary>
    public Dictionary<string, string>? Variables { get; set; }
    /// <summary>Decryption error, if any.</summary>
    public EnvironmentError? Error { get; set; }
}

/// <summary>Why environment variables could not be read.</summary>
public sealed class EnvironmentError
{
    /// <summary>Code.</summary>
    public string? ErrorCode { get; set; }
    /// <summary>Message.</summary>
    public string? Message { get; set; }
}

/// <summary>Environment variables as written.</summary>
public sealed class Environment
{
    /// <summary>Variables; the whole set replaces the function's.</summary>
    public Dictionary<string, string>? Variables { get; set; }
}

/// <summary>Tracing.</summary>
public sealed class TracingConfigResponse
{
    /// <summary>Active or PassThrough.</summary>
    public string? Mode { get; set; }
}

/// <summary>A layer.</summary>
public sealed class Layer
{
    /// <summary>Layer version ARN.</summary>
    public string? Arn { get; set; }
    /// <summary>Size in bytes.</summary>
    public long? CodeSize { get; set; }
}

/// <summary>/tmp storage.</summary>
public sealed class EphemeralStorage
{
    /// <summary>MB.</summary>
    public int? Size { get; set; }
}

/// <summary>SnapStart.</summary>
public sealed class SnapStartResponse
{
    /// <summary>PublishedVersions or None.</summary>
    public string? ApplyOn { get; set; }
    /// <summary>On or Off.</summary>
    public string? OptimizationStatus { get; set; }
}

/// <summary>Where and how the function logs.</summary>
public sealed class LoggingConfig
{
    /// <summary>JSON or Text.</summary>
    public string? LogFormat { get; set; }
    /// <summary>Application log level (JSON format).</summary>
    public string? ApplicationLogLevel { get; set; }
    /// <summary>System log level (JSON format).</summary>
    public string? SystemLogLevel { get; set; }
    /// <summary>The log group; default <c>/aws/lambda/&lt;name&gt;</c>.</summary>
    public string? LogGroup { get; set; }
}

/// <summary>Dead-letter queue or topic.</summary>
public sealed class DeadLetterConfig
{
    /// <summary>SQS or SNS ARN.</summary>
    public string? TargetArn { get; set; }
}
