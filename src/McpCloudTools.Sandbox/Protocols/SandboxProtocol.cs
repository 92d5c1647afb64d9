namespace McpCloudTools.Sandbox;

/// <summary>The wire protocol a sandbox service speaks; decides the shape of every error the frame writes for it.</summary>
public enum SandboxProtocol
{
    /// <summary>AWS Query (STS): form body, XML answers, <c>&lt;ErrorResponse&gt;</c> errors.</summary>
    Query,

    /// <summary>EC2's Query variant: form body, XML answers, <c>&lt;Response&gt;&lt;Errors&gt;</c> errors.</summary>
    Ec2Query,

    /// <summary>awsJson1.1 (CloudWatch Logs): <c>X-Amz-Target</c>, <c>__type</c> errors.</summary>
    Json11,

    /// <summary>restJson1 (EKS, Lambda, Batch): routes by method and path, <c>x-amzn-ErrorType</c> errors.</summary>
    RestJson1,

    /// <summary>Slurm's slurmrestd (not AWS): JWT headers, errors as <c>{"errors":[{"error","error_number","description"}]}</c>.</summary>
    SlurmRest,
}

/// <summary>
/// Thrown by a service (or the frame) to answer with an AWS error; the frame writes it in the service's protocol.
/// </summary>
/// <param name="status">HTTP status.</param>
/// <param name="code">AWS error code, e.g. <c>ResourceNotFoundException</c>.</param>
/// <param name="message">The message AWS would send.</param>
public sealed class SandboxApiException(int status, string code, string message) : Exception(message)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>AWS error code.</summary>
    public string Code { get; } = code;

    /// <summary>Slurm's error number (<see cref="SandboxProtocol.SlurmRest"/> only), e.g. 2017 for an invalid job id.</summary>
    public int? ErrorNumber { get; init; }

    /// <summary><c>Retry-After</c> seconds to send, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Query protocol fault type: <c>Sender</c> for 4xx, <c>Receiver</c> for 5xx.</summary>
    public string FaultType => Status >= 500 ? "Receiver" : "Sender";
}
