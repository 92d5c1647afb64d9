using Amazon.Runtime;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>EC2 error codes the plugin acts on, and the clean-up of EC2's messages before they reach a model.</summary>
public static class Ec2Errors
{
    /// <summary>A dry run that would have succeeded (HTTP 412).</summary>
    public const string DryRunOperation = "DryRunOperation";

    /// <summary>The caller lacks the permission (HTTP 403); also what a denied dry run answers.</summary>
    public const string UnauthorizedOperation = "UnauthorizedOperation";

    private const string EncodedMarker = "Encoded authorization failure message:";

    /// <summary>
    /// EC2 appends an encoded blob (often over a kilobyte) to <c>UnauthorizedOperation</c> that only
    /// <c>sts:DecodeAuthorizationMessage</c> can read; it costs tokens and tells a model nothing, so it is cut and
    /// its existence noted. Other exceptions pass through unchanged.
    /// </summary>
    public static AmazonServiceException Clean(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var at = exception.Message.IndexOf(EncodedMarker, StringComparison.Ordinal);
        if (at < 0) return exception;
        var message = exception.Message[..at].TrimEnd().TrimEnd('.') + " (EC2 also sent an encoded authorization message, "
            + "readable with `aws sts decode-authorization-message`)";
        return new AmazonServiceException(message, exception, exception.ErrorType, exception.ErrorCode, exception.RequestId,
            exception.StatusCode);
    }
}
