using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace McpCloudTools.Aws;

/// <summary>
/// The only use of AWSSDK.Core 4.1.0's public <see cref="AWSSigV4Signer"/> (new API, version pinned): if a Core
/// upgrade changes it, this file is the one to change.
/// </summary>
public sealed class SdkSigV4Signer : IAwsRequestSigner, IAwsPresigner
{
    /// <summary>Headers this signer adds; removed before signing again so a retried request carries fresh ones.</summary>
    private static readonly string[] SigningHeaders =
        ["Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token"];

    /// <summary>Fixed signing time for tests (the public test-suite values); null signs with the current time.</summary>
    public DateTime? SignedAt { get; init; }

    /// <inheritdoc />
    public async Task SignAsync(HttpRequestMessage request, string signingName, RegionEndpoint region,
        AWSCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        foreach (var name in SigningHeaders) request.Headers.Remove(name);

        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri };
        foreach (var header in request.Headers)
        {
            // Sign what AWS needs bound to the request (x-amz-* such as X-Amz-Target); hop-by-hop and
            // user-agent headers may be changed by proxies and are left out, as the SDKs do.
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
                signing.Headers[header.Key] = string.Join(',', header.Value);
        }
        if (request.Content is not null)
        {
            // Buffers the body once; the same bytes are sent on every attempt and hashed again for each signature.
            signing.Content = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (request.Content.Headers.ContentType is { } contentType)
                signing.Headers["Content-Type"] = contentType.ToString();
        }

        var result = await AWSSigV4Signer.SignAsync(signing, Parameters(signingName, region, credentials),
            cancellationToken).ConfigureAwait(false);
        foreach (var header in result.Headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    /// <inheritdoc />
    public async Task<Uri> PresignGetAsync(Uri url, IReadOnlyDictionary<string, string> signedHeaders,
        string signingName, RegionEndpoint region, AWSCredentials credentials, TimeSpan expiry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = url };
        foreach (var header in signedHeaders) signing.Headers[header.Key] = header.Value;
        var result = await AWSSigV4Signer.PresignAsync(signing, Parameters(signingName, region, credentials), expiry,
            cancellationToken).ConfigureAwait(false);
        return result.Uri;
    }

    private AWSSigV4Parameters Parameters(string signingName, RegionEndpoint region, AWSCredentials credentials) =>
        new() { Credentials = credentials, Region = region, Service = signingName, SignedAt = SignedAt };
}
