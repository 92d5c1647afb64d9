using System.Globalization;
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
/// One cluster's Kubernetes API endpoint: Kestrel over HTTPS on its own 127.0.0.1 port (fixed when the sandbox's
/// port is, else a free one), with a server certificate signed by the cluster's CA, serving <see cref="KubeApiHandler"/>.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private KubeApiServer(WebApplication app, KubeCertificates certificates, Uri endpoint, CancellationTokenSource stopping)
    {
        _app = app;
        Certificates = certificates;
        Endpoint = endpoint;
        _stopping = stopping;
    }

    /// <summary>The cluster's CA and server certificate.</summary>
    public KubeCertificates Certificates { get; }

    /// <summary><c>https://127.0.0.1:PORT</c>, as DescribeCluster reports it.</summary>
    public Uri Endpoint { get; }

    /// <summary>Makes the certificates, binds <paramref name="port"/> (0: a free one) and starts serving.</summary>
    public static async Task<KubeApiServer> StartAsync(KubeCluster cluster, string certificateSeed, int port, SandboxContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(context);
        var certificates = KubeCertificates.Create(cluster.Name, certificateSeed);
        var loggerFactory = context.LoggerFactory;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new SandboxHostLogging(loggerFactory));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                // HTTP/1.1 only: the clients here all speak it, and it keeps the TLS handshake simple.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificates.Server);
            });
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var handler = new KubeApiHandler(cluster, context.Credentials, context.Requests, loggerFactory.CreateLogger<KubeApiHandler>(), stopping.Token);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SandboxCommand.IsBindFailure(e))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificates.Dispose();
            stopping.Dispose();
            throw new SandboxListenException(string.Create(CultureInfo.InvariantCulture,
                $"cannot listen on https://127.0.0.1:{port} for the Kubernetes API of cluster {cluster.Name} ({context.Region}): "
                + $"{SandboxCommand.BindReason(e)}. With --port {context.Options.Port} the sandbox uses ports {context.KubernetesPorts.Range}; choose another --port."), e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address).Port;
        return new KubeApiServer(app, certificates, new Uri($"https://127.0.0.1:{bound}"), stopping);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Open watches end first, so that stopping does not wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificates.Dispose();
        _stopping.Dispose();
    }
}
