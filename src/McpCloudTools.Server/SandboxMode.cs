using System.Net;
using System.Net.Sockets;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Sandbox;

namespace McpCloudTools.Server;

/// <summary>
/// <c>--sandbox</c>: an emulated AWS account in-process, every plugin pointed at it with the sandbox's credentials.
/// It starts in the background so that <c>tools/list</c> never waits for it; tool calls wait through
/// <see cref="IReadinessGate"/>. The port is chosen up front so the AWS layer knows the endpoint from the start.
/// </summary>
internal sealed partial class SandboxMode : IHostedService, IReadinessGate, IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private Task<SandboxHost>? _host;

    public SandboxMode(SandboxOptions options, ILoggerFactory loggerFactory)
    {
        // A port picked at random: the clusters' Kubernetes APIs take free ones too, not its neighbours.
        _options = options with { Port = options.Port == 0 ? FreeLoopbackPort() : options.Port, KubernetesOnNextPorts = false };
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("McpCloudTools.Sandbox");
        Endpoint = new Uri($"http://127.0.0.1:{_options.Port}/");
    }

    /// <summary>Where the sandbox listens.</summary>
    public Uri Endpoint { get; }

    /// <summary>The sandbox's options (credentials, region).</summary>
    public SandboxOptions Options => _options;

    /// <summary>The running sandbox, once started (tests reach its clock and faults through it).</summary>
    public Task<SandboxHost> Host => _host ?? throw new InvalidOperationException("The sandbox has not been started.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _host = Task.Run(async () =>
        {
            var host = await SandboxHost.StartAsync(_options, _loggerFactory, CancellationToken.None).ConfigureAwait(false);
            LogSandbox(_logger, Endpoint, _options.AccountId, _options.Region, _options.AccessKey, _options.Scenario.Name);
            return host;
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Host.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ToolException($"The in-process sandbox failed to start on {Endpoint} ({e.Message}). Restart the server; it picks another port.", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_host is { IsCompletedSuccessfully: true })
        {
            await (await _host.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(LogLevel.Warning, "SANDBOX MODE: every plugin talks to an emulated AWS account at {Endpoint} (account {Account}, region {Region}, access key {AccessKey}, scenario {Scenario}); nothing reaches real AWS")]
    private static partial void LogSandbox(ILogger logger, Uri endpoint, string account, string region, string accessKey, string scenario);
}
