using System.Collections.Frozen;
using System.Net;

namespace McpCloudTools.Aws;

/// <summary>
/// Sorts AWS error codes into kinds and retry classes once, for every service (lists from the AWS SDKs'
/// standard retry mode and the services' modelled errors).
/// </summary>
public static class AwsErrorClassifier
{
    private static readonly FrozenSet<string> ThrottlingCodes = FrozenSet.Create(StringComparer.Ordinal,
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "RequestLimitExceeded", "EC2ThrottledException", "LimitExceededException",
        "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "PriorRequestNotComplete",
        "TransactionInProgressException");

    private static readonly FrozenSet<string> TransientCodes = FrozenSet.Create(StringComparer.Ordinal,
        "TimeoutError", "RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalError",
        "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "ServerException",
        "ServiceException", "Unavailable", "ResourceNotReadyException");

    private static readonly FrozenSet<string> AuthCodes = FrozenSet.Create(StringComparer.Ordinal,
        "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch",
        "ExpiredToken", "ExpiredTokenException", "RequestExpired", "AuthFailure", "IncompleteSignature",
        "IncompleteSignatureException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
        "InvalidAccessKeyId", "InvalidToken", "TokenRefreshRequired", "RequestTimeTooSkewed", "RequestInTheFuture",
        "InvalidIdentityToken", "IDPCommunicationError");

    private static readonly FrozenSet<string> AccessDeniedCodes = FrozenSet.Create(StringComparer.Ordinal,
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
        "UnauthorizedException", "AuthorizationError", "OptInRequired", "Forbidden", "ForbiddenException");

    private static readonly FrozenSet<string> NotFoundCodes = FrozenSet.Create(StringComparer.Ordinal,
        "ResourceNotFoundException", "NotFoundException", "NoSuchEntity", "NoSuchEntityException", "NotFound");

    private static readonly FrozenSet<string> ConflictCodes = FrozenSet.Create(StringComparer.Ordinal,
        "ResourceInUseException", "ResourceConflictException", "ConflictException", "PreconditionFailedException",
        "IncorrectState", "IncorrectInstanceState", "InvalidStateException", "ResourceAlreadyExistsException",
        "OperationAbortedException", "ConcurrentModificationException");

    private static readonly FrozenSet<string> ValidationCodes = FrozenSet.Create(StringComparer.Ordinal,
        "ValidationException", "ValidationError", "InvalidParameterException", "InvalidParameterValueException",
        "InvalidParameterValue", "InvalidParameterCombination", "InvalidParameter", "MissingParameter",
        "InvalidRequestException", "InvalidRequest", "ClientException", "SerializationException", "InvalidInput",
        "RequestTooLargeException", "UnsupportedOperation", "InvalidAction", "InvalidQueryParameter",
        "MalformedQueryString");

    /// <summary>True when the server clearly refused the request for rate reasons: safe to retry any operation.</summary>
    public static bool IsThrottling(HttpStatusCode? status, string? code) =>
        status == HttpStatusCode.TooManyRequests || (code is not null && ThrottlingCodes.Contains(code));

    /// <summary>True for server-side or transient failures: the request may or may not have taken effect.</summary>
    public static bool IsTransient(HttpStatusCode? status, string? code) =>
        (status is { } s && (int)s is 500 or 502 or 503 or 504) || (code is not null && TransientCodes.Contains(code));

    /// <summary>The kind of an error code and status, checking specific codes before falling back to the status.</summary>
    public static AwsErrorKind Classify(HttpStatusCode? status, string? code)
    {
        if (IsThrottling(status, code)) return AwsErrorKind.Throttled;
        if (code is not null)
        {
            if (AuthCodes.Contains(code)) return AwsErrorKind.Auth;
            if (AccessDeniedCodes.Contains(code) || code.EndsWith(".Unauthorized", StringComparison.Ordinal))
                return AwsErrorKind.AccessDenied;
            if (NotFoundCodes.Contains(code) || code.EndsWith(".NotFound", StringComparison.Ordinal))
                return AwsErrorKind.NotFound;
            if (ConflictCodes.Contains(code)) return AwsErrorKind.Conflict;
            if (ValidationCodes.Contains(code) || code.EndsWith(".Malformed", StringComparison.Ordinal)
                || code.StartsWith("Invalid", StringComparison.Ordinal))
                return AwsErrorKind.Validation;
            if (TransientCodes.Contains(code)) return AwsErrorKind.Unavailable;
        }
        return status switch
        {
            HttpStatusCode.Forbidden => AwsErrorKind.AccessDenied,
            HttpStatusCode.NotFound => AwsErrorKind.NotFound,
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => AwsErrorKind.Conflict,
            HttpStatusCode.Unauthorized => AwsErrorKind.Auth,
            { } s when (int)s >= 500 => AwsErrorKind.Unavailable,
            HttpStatusCode.BadRequest when code is null => AwsErrorKind.Validation,
            _ => AwsErrorKind.Other,
        };
    }
}
