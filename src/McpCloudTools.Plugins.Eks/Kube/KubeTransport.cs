using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Exceptions;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// The HTTP side of a connection to one Kubernetes API server, made from a <see cref="KubernetesClientConfiguration"/>
/// (kubeconfig, exec plugin and EKS token as KubernetesClient loads them) the way KubernetesClient's <c>Kubernetes</c>
/// client makes it: TLS verified against the cluster's CA (or skipped only when the kubeconfig says so), the client
/// certificate, bearer or basic credentials, HTTP/2 keep-alive pings, and our handlers in order (the first outermost).
/// Made here because constructing <c>Kubernetes</c> reads KubernetesClient's JSON context of all its ~860 models,
/// which a NativeAOT binary would then carry and rehydrate at every start; <see cref="KubeApi"/> needs only this.
/// </summary>
public sealed class KubeTransport : IDisposable
{
    /// <summary>Makes the transport; an unusable configuration is a <see cref="KubeConfigException"/> as from KubernetesClient.</summary>
    public KubeTransport(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.Host) || !Uri.TryCreate(config.Host, UriKind.Absolute, out var host))
        {
            throw new KubeConfigException("Bad host url: the Kubernetes API server's address must be an absolute http(s) URL.");
        }

        // A base that ends in '/', so that an API server below a path (a proxy's https://host/k8s/clusters/c-1) keeps it.
        BaseUri = host.AbsoluteUri.EndsWith('/') ? host : new Uri(host.AbsoluteUri + "/");
        HttpClientTimeout = config.HttpClientTimeout;
        Credentials = config.TokenProvider is { } provider ? new TokenCredentials(provider)
            : !string.IsNullOrEmpty(config.AccessToken) ? new TokenCredentials(config.AccessToken)
            : !string.IsNullOrEmpty(config.Username) ? new BasicAuthenticationCredentials { UserName = config.Username, Password = config.Password }
            : null;

        var socket = new SocketsHttpHandler
        {
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        if (BaseUri.Scheme == Uri.UriSchemeHttps)
        {
            socket.SslOptions.ClientCertificates = [];
            if (!string.IsNullOrEmpty(config.TlsServerName)) socket.SslOptions.TargetHost = config.TlsServerName;
            if (config.SkipTlsVerify)
            {
                // The kubeconfig's insecure-skip-tls-verify: the operator's explicit choice for that cluster, as kubectl honours it.
#pragma warning disable CA5359
                socket.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            else if (config.SslCaCerts is { } ca)
            {
                socket.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    Kubernetes.CertificateValidationCallBack(sender, ca, certificate, chain, errors);
            }

            if (ClientCertificate(config) is { } certificate)
            {
                socket.SslOptions.ClientCertificates.Add(certificate);
            }
        }

        HttpMessageHandler pipeline = socket;
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = pipeline;
            pipeline = handlers[i];
        }

        HttpClient = new HttpClient(pipeline, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The kubeconfig's client certificate and key (<c>client-certificate-data</c>/<c>client-key-data</c>, base64 PEM,
    /// or the files <c>client-certificate</c>/<c>client-key</c>), or null when it has none.
    /// </summary>
    internal static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        try
        {
            if (!string.IsNullOrEmpty(config.ClientCertificateData) && !string.IsNullOrEmpty(config.ClientCertificateKeyData))
            {
                return X509Certificate2.CreateFromPem(Pem(config.ClientCertificateData), Pem(config.ClientCertificateKeyData));
            }

            if (!string.IsNullOrEmpty(config.ClientCertificateFilePath) && !string.IsNullOrEmpty(config.ClientKeyFilePath))
            {
                return X509Certificate2.CreateFromPemFile(config.ClientCertificateFilePath, config.ClientKeyFilePath);
            }
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"The kubeconfig's client certificate or key cannot be read: {e.Message}", e);
        }

        return null;

        static string Pem(string base64) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }

    /// <summary>The API server's address, ending in '/'.</summary>
    public Uri BaseUri { get; }

    /// <summary>How long one request may take (<see cref="KubeApi"/> enforces it per request).</summary>
    public TimeSpan HttpClientTimeout { get; }

    /// <summary>What signs each request (bearer token, refreshed by its provider, or basic), or null.</summary>
    public ServiceClientCredentials? Credentials { get; }

    /// <summary>The client, through our handlers.</summary>
    public HttpClient HttpClient { get; }

    /// <inheritdoc />
    public void Dispose() => HttpClient.Dispose();
}
