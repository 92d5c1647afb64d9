using System.Net;
using McpCloudTools.Core;

namespace McpCloudTools.Aws;

/// <summary>
/// The one exception every AWS failure becomes, whatever the protocol or client: typed facts for code
/// (kind, code, status, request id) and a message written for the agent saying what to do next.
/// </summary>
public sealed class AwsServiceException(
    string message,
    AwsErrorKind kind,
    string service,
    string operation,
    string? errorCode,
    HttpStatusCode? statusCode,
    string? requestId,
    Exception? innerException = null) : ToolException(message, innerException)
{
    /// <summary>What kind of failure this is.</summary>
    public AwsErrorKind Kind { get; } = kind;

    /// <summary>Short service name, e.g. <c>lambda</c>.</summary>
    public string Service { get; } = service;

    /// <summary>Operation name as in the service model, e.g. <c>ListFunctions</c>.</summary>
    public string Operation { get; } = operation;

    /// <summary>AWS error code after clean-up (e.g. <c>ResourceNotFoundException</c>), or a local code for network failures.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>HTTP status of the last attempt; null when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>AWS request id of the failing response, for support cases and CloudTrail.</summary>
    public string? RequestId { get; } = requestId;
}
