using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using k8s.Authentication;
using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// The EKS bearer token, made as <c>aws eks get-token</c> makes it: a presigned STS <c>GetCallerIdentity</c> URL bound
/// to the cluster name by the signed <c>x-k8s-aws-id</c> header, as <c>k8s-aws-v1.</c> + unpadded base64url. The
/// token is valid 15 minutes from signing; it is reused for <see cref="EksOptions.TokenReuse"/> and made anew after
/// that, or at once when the API server refused it.
/// </summary>
public sealed class EksTokenProvider(AwsContext aws, string clusterName, TimeProvider time, EksOptions options) : ITokenProvider, IDisposable
{

    private const string Prefix = "k8s-aws-v1.";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset MadeAt)? _current;
    private int _made;

    /// <summary>Tokens made so far (tests read it).</summary>
    public int TokensMade => Volatile.Read(ref _made);

    /// <inheritdoc />
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        new("Bearer", await GetTokenAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The cached token while it is fresh, else a new one.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_current is { } current && now - current.MadeAt < options.TokenReuse && now >= current.MadeAt) return current.Token;
            var token = await MakeAsync(cancellationToken).ConfigureAwait(false);
            _current = (token, now);
            Interlocked.Increment(ref _made);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> if it is the cached one (the API server answered 401 to it).</summary>
    public void Invalidate(string? token)
    {
        _gate.Wait();
        try
        {
            if (_current is { } current && (token is null || current.Token == token)) _current = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<string> MakeAsync(CancellationToken cancellationToken)
    {
        var sts = aws.ResolveEndpoint(AwsService.Sts);
        var url = new Uri(sts, "/?Action=GetCallerIdentity&Version=2011-06-15");
        var presigned = await aws.Runtime.Presigner.PresignGetAsync(url,
            new Dictionary<string, string> { ["x-k8s-aws-id"] = clusterName }, "sts", aws.Region, aws.Credentials,
            TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return Encode(presigned);
    }

    /// <summary><c>k8s-aws-v1.</c> + base64url of the URL without padding.</summary>
    public static string Encode(Uri presignedUrl)
    {
        ArgumentNullException.ThrowIfNull(presignedUrl);
        return Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(presignedUrl.AbsoluteUri));
    }
}

/// <summary>Plugin-wide settings.</summary>
public sealed class EksOptions
{
    /// <summary>How long an EKS token is reused: a minute less than the CLI's 14, so a slow request still lands inside 15.</summary>
    public TimeSpan TokenReuse { get; init; } = TimeSpan.FromMinutes(13);
}

/// <summary>
/// Sits under the Kubernetes client: on a 401 it drops the token that was refused, makes a fresh one and sends the
/// request once more. A second 401 is returned as is (the identity is not mapped in the cluster, or the clock is off).
/// </summary>
public sealed class UnauthorizedRetryHandler(EksTokenProvider tokens) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        response.Dispose();
        tokens.Invalidate(request.Headers.Authorization?.Parameter);
        request.Headers.Authorization = await tokens.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
