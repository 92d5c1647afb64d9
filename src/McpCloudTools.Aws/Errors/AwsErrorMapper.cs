using System.Globalization;
using System.Net;
using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>
/// The one place an AWS failure becomes an <see cref="AwsServiceException"/> with an actionable message: HTTP error
/// responses of every protocol, SDK exceptions (AWSSDK.EC2, STS) and network failures alike.
/// </summary>
public static class AwsErrorMapper
{
    /// <summary>Maps a parsed error response.</summary>
    public static AwsServiceException FromResponse(AwsErrorDetails error, AwsCallInfo call, Exception? inner = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(call);
        var kind = AwsErrorClassifier.Classify(error.StatusCode, error.Code);
        return new AwsServiceException(Compose(kind, error, call), kind, call.Service.DisplayName, call.Operation,
            error.Code, error.StatusCode, error.RequestId, inner);
    }

    /// <summary>Maps an exception thrown by an official AWS SDK client.</summary>
    public static AwsServiceException FromSdkException(AmazonServiceException exception, AwsCallInfo call)
    {
        ArgumentNullException.ThrowIfNull(exception);
        HttpStatusCode? status = exception.StatusCode == 0 ? null : exception.StatusCode;
        var details = new AwsErrorDetails(status, AwsErrorDetails.CleanCode(exception.ErrorCode),
            exception.Message, exception.RequestId);
        return FromResponse(details, call, exception);
    }

    /// <summary>Maps a failure where no response arrived (connection refused, reset, timeout).</summary>
    public static AwsServiceException FromNetworkFailure(Exception exception, Uri endpoint, AwsCallInfo call)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var timedOut = exception is TimeoutException or TaskCanceledException;
        var message = timedOut
            ? $"{Name(call)} at {endpoint.GetLeftPart(UriPartial.Authority)} timed out{Waited(call)}{GaveUp(call)}. Narrow the request "
              + "(a filter, a smaller limit) or retry later; if it persists, check that the endpoint answers (endpoint_url, AWS_ENDPOINT_URL, the network)."
            : $"{Name(call)} at {endpoint.GetLeftPart(UriPartial.Authority)} could not be completed ({Innermost(exception)}){Attempts(call)}{GaveUp(call)}. "
              + "Check the network and the endpoint (endpoint_url, AWS_ENDPOINT_URL), then retry.";
        return new AwsServiceException(message, AwsErrorKind.Unavailable, call.Service.DisplayName, call.Operation,
            timedOut ? "Timeout" : "NetworkError", null, null, exception);
    }

    private static string Compose(AwsErrorKind kind, AwsErrorDetails error, AwsCallInfo call)
    {
        var said = string.IsNullOrWhiteSpace(error.Message) ? "" : $" AWS said: {error.Message.Trim().TrimEnd('.')}.";
        var code = error.Code ?? (error.StatusCode is { } s ? $"HTTP {(int)s}" : "unknown error");
        var target = call.Resource ?? "the requested resource";
        var where = call.Account is null ? $"region {call.Region}" : $"account {call.Account}, region {call.Region}";
        return kind switch
        {
            AwsErrorKind.AccessDenied =>
                $"Access denied: {call.Identity} is not allowed to call {call.Service.SigningName}:{call.Operation} on "
                + $"{target} in {where} ({code}).{said} Grant that action to this identity in IAM, or configure a "
                + "profile or role_arn that has it.",
            AwsErrorKind.NotFound =>
                $"Not found: {target} does not exist in {where} ({call.Service.DisplayName} {call.Operation}, {code}).{said} "
                + (call.Hint ?? "Check the name and the region, or list the resources of this kind to see valid names."),
            AwsErrorKind.Validation =>
                $"{Name(call)} rejected the request ({code}).{said} Fix the arguments and try again.",
            AwsErrorKind.Conflict =>
                $"{Name(call)} conflicts with the current state of {target} ({code}).{said} Describe it to see its "
                + "status, wait for the operation in progress to finish, then retry.",
            AwsErrorKind.Throttled =>
                $"Throttled by {call.Service.DisplayName} {call.Operation}{ThrottleCount(call)} ({code}); retry later "
                + "or lower the request rate.",
            AwsErrorKind.Unavailable =>
                $"{Name(call)} failed on the AWS side ({code}){Attempts(call)}{GaveUp(call)}.{said} Retry later; if it persists, "
                + "check the AWS Health Dashboard for the region.",
            AwsErrorKind.Auth => $"AWS refused the credentials of {call.Identity} for {Name(call)} ({code}).{said} "
                + AuthAdvice(error, call),
            _ => $"{Name(call)} failed ({code}).{said}",
        };
    }

    private static string AuthAdvice(AwsErrorDetails error, AwsCallInfo call)
    {
        var code = error.Code;
        // A regional endpoint (or an emulator serving a fixed set of regions) refusing the scope's region: the keys are
        // fine, the region is what to change.
        if (error.Message?.Contains("scoped to a valid region", StringComparison.OrdinalIgnoreCase) == true)
            return $"The endpoint does not serve region {call.Region}: set the instance's `region` (or AWS_REGION) to a region it serves.";
        if (code is "RequestTimeTooSkewed" or "RequestInTheFuture" or "RequestExpired")
            return "The system clock is off; sync it (NTP) and retry.";
        if (code is "SignatureDoesNotMatch" or "InvalidSignatureException")
            return "The secret key does not match the access key; check the configured credentials.";
        var refresh = call.Profile is { } p
            ? $"Refresh the credentials of profile '{p}' (for an SSO profile run `aws sso login --profile {p}`)"
            : "Refresh the credentials (for SSO run `aws sso login`; for session keys renew AWS_SESSION_TOKEN)";
        return code is "ExpiredToken" or "ExpiredTokenException" or "TokenRefreshRequired"
            ? $"The session has expired. {refresh}, then retry."
            : $"The access key is unknown or invalid for this partition. {refresh}, or check which credentials are configured.";
    }

    private static string Name(AwsCallInfo call) => $"{call.Service.DisplayName} {call.Operation}";

    private static string ThrottleCount(AwsCallInfo call) => call.Retries is { } r
        ? string.Create(CultureInfo.InvariantCulture, $" {r.Attempts} times over {r.Elapsed.TotalSeconds:0.0} s")
          + (r.GaveUpBecause is null ? "" : $" ({r.GaveUpBecause})")
        : "";

    private static string Waited(AwsCallInfo call) => call.Retries is { } r
        ? string.Create(CultureInfo.InvariantCulture, $" after waiting {r.Elapsed.TotalSeconds:0.0} s")
          + (r.Attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" over {r.Attempts} attempts") : "")
        : "";

    private static string GaveUp(AwsCallInfo call) => call.Retries?.GaveUpBecause is { } why ? $" ({why})" : "";

    private static string Attempts(AwsCallInfo call) => call.Retries is { Attempts: > 1 } r
        ? string.Create(CultureInfo.InvariantCulture, $" after {r.Attempts} attempts over {r.Elapsed.TotalSeconds:0.0} s")
        : "";

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is not null) exception = exception.InnerException;
        return exception.Message.TrimEnd('.');
    }
}
