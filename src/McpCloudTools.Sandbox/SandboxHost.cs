using System.Diagnostics;
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
/// A running sandbox: Kestrel on 127.0.0.1 serving every emulated service on one port, plus handles for tests
/// (state, faults, clock). Start is cheap (no scanning, no reflection); dispose to stop.
/// </summary>
public sealed partial class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxControl _control;

    private SandboxHost(WebApplication app, SandboxContext context, IReadOnlyList<ISandboxService> services,
        FaultInjector faults, SandboxControl control, Uri endpoint)
    {
        _app = app;
        Context = context;
        Services = services;
        Faults = faults;
        _control = control;
        Endpoint = endpoint;
    }

    /// <summary>Base URI, e.g. <c>http://127.0.0.1:4566/</c>: the endpoint for every service.</summary>
    public Uri Endpoint { get; }

    /// <summary>Options, clock, keys and log store shared by the services.</summary>
    public SandboxContext Context { get; }

    /// <summary>Every request received (AWS endpoint and Kubernetes APIs), as sent, with ambiguous targets flagged.</summary>
    public SandboxRequestLog Requests => Context.Requests;

    /// <summary>The options it runs with.</summary>
    public SandboxOptions Options => Context.Options;

    /// <summary>Sandbox time (advance it to move state on).</summary>
    public SandboxClock Clock => Context.Clock;

    /// <summary>Fault injection, changeable while running.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The emulated services.</summary>
    public IReadOnlyList<ISandboxService> Services { get; }

    /// <summary>The service of type <typeparamref name="T"/>.</summary>
    public T Service<T>() where T : ISandboxService => Services.OfType<T>().Single();

    /// <summary>The summary <c>GET /_sandbox/state</c> returns.</summary>
    public SandboxStateView State() => _control.State();

    /// <summary>Seeds the scenario, binds 127.0.0.1 and starts serving.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions options, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var started = Stopwatch.GetTimestamp();
        var context = new SandboxContext(options, loggerFactory);
        var services = SandboxServices.Create(context);
        foreach (var service in services) service.Seed(options.Scenario);
        var faults = new FaultInjector(options.Faults, options.Scenario.Seed);
        var control = new SandboxControl(context, services, faults);

        // The empty builder skips configuration files, environment-variable binding and default services:
        // the sandbox must start in milliseconds inside the MCP server.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
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
        var dispatcher = new SandboxDispatcher(context, services, faults, control, loggerFactory.CreateLogger<SandboxDispatcher>());
        app.Run(dispatcher.InvokeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var endpoint = new Uri(new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), "/");
        var logger = loggerFactory.CreateLogger<SandboxHost>();
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogStarted(logger, endpoint, services.Length, elapsedMs);
        return new SandboxHost(app, context, services, faults, control, endpoint);
    }

    /// <summary>Stops serving and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // Services that run listeners of their own (the EKS service's Kubernetes APIs) stop with the sandbox.
        foreach (var service in Services.OfType<IAsyncDisposable>()) await service.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox listening on {Endpoint} with {Count} services (started in {Ms:0} ms)")]
    private static partial void LogStarted(ILogger logger, Uri endpoint, int count, double ms);
}

/// <summary>A host lifetime that leaves process signals to the embedding process.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
