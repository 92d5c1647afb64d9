using Amazon;
using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>Signs an outgoing request with SigV4; an interface so the SDK's new signer API stays behind one adapter.</summary>
public interface IAwsRequestSigner
{
    /// <summary>
    /// Adds <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c> and, for session credentials,
    /// <c>X-Amz-Security-Token</c> to <paramref name="request"/>, replacing those of an earlier attempt.
    /// </summary>
    Task SignAsync(HttpRequestMessage request, string signingName, RegionEndpoint region, AWSCredentials credentials,
        CancellationToken cancellationToken);
}

/// <summary>Presigns a GET URL with SigV4 query authentication (the EKS bearer token is such a URL).</summary>
public interface IAwsPresigner
{
    /// <summary>Returns <paramref name="url"/> with the <c>X-Amz-*</c> query parameters that authorise it.</summary>
    /// <param name="url">The GET URL, query included.</param>
    /// <param name="signedHeaders">Extra headers the URL is bound to (e.g. <c>x-k8s-aws-id</c>); the client sending it must add them.</param>
    /// <param name="signingName">SigV4 service name.</param>
    /// <param name="region">Signing region.</param>
    /// <param name="credentials">Credentials to sign with.</param>
    /// <param name="expiry">Validity (<c>X-Amz-Expires</c>).</param>
    /// <param name="cancellationToken">Cancels credential resolution.</param>
    Task<Uri> PresignGetAsync(Uri url, IReadOnlyDictionary<string, string> signedHeaders, string signingName,
        RegionEndpoint region, AWSCredentials credentials, TimeSpan expiry, CancellationToken cancellationToken);
}
