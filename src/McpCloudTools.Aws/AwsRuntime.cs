using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Aws;

/// <summary>
/// What all AWS contexts of a process share: the retry/timeout policy, the signer, one connection pool, logging
/// and the clock. Owned by the <see cref="AwsContextProvider"/>; disposing it closes the pooled connections.
/// </summary>
public sealed class AwsRuntime : IDisposable
{
    /// <summary>Creates the shared runtime; every argument has a production default.</summary>
    public AwsRuntime(AwsClientOptions? options = null, ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null, IAwsRequestSigner? signer = null, IAwsPresigner? presigner = null)
    {
        Options = (options ?? AwsClientOptions.Default).Validate();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        var sdkSigner = new SdkSigV4Signer();
        Signer = signer ?? sdkSigner;
        Presigner = presigner ?? sdkSigner;
        // Redirects are never followed: a redirected request would go out with a signature for another host.
        Handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
    }

    /// <summary>Retry and timeout policy for every call.</summary>
    public AwsClientOptions Options { get; }

    /// <summary>Logger factory for the pipeline's debug logs.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Clock for backoff delays (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>SigV4 signer used by the pipeline.</summary>
    public IAwsRequestSigner Signer { get; }

    /// <summary>SigV4 presigner (EKS tokens).</summary>
    public IAwsPresigner Presigner { get; }

    /// <summary>The connection pool every pipeline ends in.</summary>
    internal SocketsHttpHandler Handler { get; }

    /// <inheritdoc />
    public void Dispose() => Handler.Dispose();
}
