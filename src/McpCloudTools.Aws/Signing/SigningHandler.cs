using Amazon;
using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>
/// Signs each attempt just before it goes on the wire. It sits inside the retry handler, so a retried request is
/// signed again with a fresh date and freshly resolved (possibly refreshed) credentials.
/// </summary>
public sealed class SigningHandler(
    IAwsRequestSigner signer, string signingName, RegionEndpoint region, AWSCredentials credentials)
    : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, signingName, region, credentials, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
