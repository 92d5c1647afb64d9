using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// One cluster's Kubernetes API endpoint: Kestrel over HTTPS on its own 127.0.0.1 port, with a server certificate
/// signed by the cluster's CA, serving <see cref="KubeApiHandler"/>.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KubeApiServer(WebApplication app, KubeCertificates certificates, Uri endpoint)
    {
        _app = app;
        Certificates = certificates;
        Endpoint = endpoint;
    }

    /// <summary>The cluster's CA and server certificate.</summary>
    public KubeCertificates Certificates { get; }

    /// <summary><c>https://127.0.0.1:PORT</c>, as DescribeCluster reports it.</summary>
    public Uri Endpoint { get; }

    /// <summary>Generates the certificates, binds a free port and starts serving.</summary>
    public static async Task<KubeApiServer> StartAsync(KubeCluster cluster, SandboxCredentialStore credentials, SandboxRequestLog requests,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var certificates = KubeCertificates.Create(cluster.Name);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                // HTTP/1.1 only: the clients here all speak it, and it keeps the TLS handshake simple.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificates.Server);
            });
        });
        var app = builder.Build();
        var handler = new KubeApiHandler(cluster, credentials, requests, loggerFactory.CreateLogger<KubeApiHandler>());
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new KubeApiServer(app, certificates, new Uri($"https://127.0.0.1:{port}"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificates.Dispose();
    }
}
