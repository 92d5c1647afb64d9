using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>
/// A running sandbox: Kestrel on 127.0.0.1 serving every emulated service of every served region on one port (routed by the
/// SigV4 credential scope), plus handles for tests
/// (state, faults, clock). Start is cheap (no scanning, no reflection); dispose to stop.
/// </summary>
public sealed partial class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxControl _control;

    private SandboxHost(WebApplication app, IReadOnlyList<SandboxRegion> regions, FaultInjector faults, SandboxControl control, Uri endpoint)
    {
        _app = app;
        Regions = regions;
        Faults = faults;
        _control = control;
        Endpoint = endpoint;
    }

    /// <summary>Base URI, e.g. <c>http://127.0.0.1:4566/</c>: the endpoint for every service of every region.</summary>
    public Uri Endpoint { get; }

    /// <summary>The regions served, the default first, each with its own services and state.</summary>
    public IReadOnlyList<SandboxRegion> Regions { get; }

    /// <summary>Options, clock, keys and log store of the default region.</summary>
    public SandboxContext Context => Regions[0].Context;

    /// <summary>Every request received (AWS endpoint and Kubernetes APIs), as sent, with ambiguous targets flagged.</summary>
    public SandboxRequestLog Requests => Context.Requests;

    /// <summary>The options it runs with.</summary>
    public SandboxOptions Options => Context.Options;

    /// <summary>Sandbox time (advance it to move state on).</summary>
    public SandboxClock Clock => Context.Clock;

    /// <summary>Fault injection, changeable while running (per service, in every region).</summary>
    public FaultInjector Faults { get; }

    /// <summary>The emulated services of the default region.</summary>
    public IReadOnlyList<ISandboxService> Services => Regions[0].Services;

    /// <summary>The default region's service of type <typeparamref name="T"/>.</summary>
    public T Service<T>() where T : ISandboxService => Regions[0].Service<T>();

    /// <summary>A served region by name.</summary>
    public SandboxRegion Region(string name) => Regions.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"The sandbox serves {string.Join(" and ", Regions.Select(r => r.Name))}, not {name}.");

    /// <summary>The summary <c>GET /_sandbox/state</c> returns.</summary>
    public SandboxStateView State() => _control.State();

    /// <summary>Every cluster's Kubernetes API endpoint (those started so far).</summary>
    public IReadOnlyList<(string Region, string Cluster, Uri Endpoint)> KubernetesApis() =>
        [.. Regions.SelectMany(r => r.Service<Services.Eks.EksService>().StartedApis().Select(a => (r.Name, a.Cluster, a.Endpoint)))];

    /// <summary>Starts every cluster's Kubernetes API now (otherwise each starts on first need).</summary>
    public async Task StartKubernetesApisAsync(CancellationToken cancellationToken)
    {
        foreach (var region in Regions)
            await region.Service<Services.Eks.EksService>().StartApisAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seeds the scenario in every region, binds 127.0.0.1 and starts serving.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions options, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var started = Stopwatch.GetTimestamp();
        var home = new SandboxContext(options, loggerFactory);
        var regions = options.Regions.Select(name => name == options.Region ? home : home.ForRegion(name))
            .Select(context => new SandboxRegion(context, SandboxServices.Create(context))).ToList();
        foreach (var region in regions)
        {
            foreach (var service in region.Services) service.Seed(region.Context.Scenario);
        }
        foreach (var region in regions)
        {
            foreach (var cluster in region.Service<Services.Eks.EksService>().Clusters.Keys) home.KubernetesPorts.Register(region.Name, cluster);
        }
        var faults = new FaultInjector(options.Faults, options.Scenario.Seed);
        var control = new SandboxControl(regions, faults);

        // The empty builder skips configuration files, environment-variable binding and default services:
        // the sandbox must start in milliseconds inside the MCP server.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new SandboxHostLogging(loggerFactory));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        // An embedded component: Ctrl+C and SIGTERM belong to the process that hosts it, not to the sandbox's host.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var dispatcher = new SandboxDispatcher(regions, faults, control, loggerFactory.CreateLogger<SandboxDispatcher>());
        app.Run(dispatcher.InvokeAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SandboxCommand.IsBindFailure(e))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new SandboxListenException(string.Create(CultureInfo.InvariantCulture,
                $"cannot listen on http://127.0.0.1:{options.Port}: {SandboxCommand.BindReason(e)}. Choose another with --port."), e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var endpoint = new Uri(new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), "/");
        var logger = loggerFactory.CreateLogger<SandboxHost>();
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogStarted(logger, endpoint, regions.Count, elapsedMs);
        var host = new SandboxHost(app, regions, faults, control, endpoint);
        if (options.KubernetesBasePort != 0)
        {
            // Fixed ports: the Kubernetes APIs are up with the sandbox (a kubeconfig from an earlier run works at once)
            // and a port clash shows at start, not at a client's first DescribeCluster. On free ports they start on
            // first need, keeping an embedded sandbox's start in milliseconds.
            try
            {
                await host.StartKubernetesApisAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        return host;
    }

    /// <summary>Stops serving and releases the ports.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // Services that run listeners of their own (the EKS service's Kubernetes APIs) stop with the sandbox.
        foreach (var service in Regions.SelectMany(r => r.Services).OfType<IAsyncDisposable>()) await service.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox listening on {Endpoint} serving {Count} regions (started in {Ms:0} ms)")]
    private static partial void LogStarted(ILogger logger, Uri endpoint, int count, double ms);
}

/// <summary>A port the sandbox needs could not be listened on; the message is one line for the user.</summary>
public sealed class SandboxListenException(string message, Exception inner) : Exception(message, inner);

/// <summary>A host lifetime that leaves process signals to the embedding process.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The logger factory of the sandbox's own web hosts: the generic host's "Hosting failed to start" error is left
/// out, because a port that cannot be bound is reported once, by <see cref="SandboxListenException"/>.
/// </summary>
internal sealed class SandboxHostLogging(ILoggerFactory inner) : ILoggerFactory
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostCategory ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the caller.
    public void Dispose()
    {
    }
}
