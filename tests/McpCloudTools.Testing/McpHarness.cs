using System.IO.Pipelines;
using System.Threading.Channels;
using McpCloudTools.Core;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Testing;

/// <summary>
/// An MCP server built exactly as the product builds it (registry, guard, handlers), with an MCP client talking to
/// it over in-memory pipes. Disposing it closes the client, stops the server and waits for it to end.
/// </summary>
public sealed class McpHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop;
    private readonly Task _serverTask;

    private McpHarness(ServiceProvider services, McpClient client, CancellationTokenSource stop, Task serverTask, ListChangedRecorder recorder,
        ListChangedRecorder resources)
    {
        ResourcesChanged = resources;
        _services = services;
        Client = client;
        _stop = stop;
        _serverTask = serverTask;
        ListChanged = recorder;
    }

    /// <summary>The client.</summary>
    public McpClient Client { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>Plugin instances (create, reconfigure, enable, remove).</summary>
    public InstanceRegistry Instances => _services.GetRequiredService<InstanceRegistry>();

    /// <summary>Clusters (register, remove, discovered).</summary>
    public ClusterRegistry Clusters => _services.GetRequiredService<ClusterRegistry>();

    /// <summary>The active cluster per caller.</summary>
    public ActiveClusters ActiveClusters => _services.GetRequiredService<ActiveClusters>();

    /// <summary>The owner of the registry's state.</summary>
    public RegistryStateOwner State => _services.GetRequiredService<RegistryStateOwner>();

    /// <summary>The advertised tools.</summary>
    public ToolAdvertiser Tools => _services.GetRequiredService<ToolAdvertiser>();

    /// <summary>The context of an instance, as the router gives it to a plugin (not initialised).</summary>
    public McpCloudTools.Core.Plugins.PluginContext Context(string instanceId) =>
        _services.GetRequiredService<McpCloudTools.Core.Plugins.PluginRouter>().Context(Instances.Get(instanceId));

    /// <summary>Every tool the server knows, advertised or not.</summary>
    public McpCloudTools.Core.Plugins.ToolCatalog Catalog => _services.GetRequiredService<McpCloudTools.Core.Plugins.ToolCatalog>();

    /// <summary>Every <c>notifications/tools/list_changed</c> the client received.</summary>
    public ListChangedRecorder ListChanged { get; }

    /// <summary>Every <c>notifications/resources/list_changed</c> the client received.</summary>
    public ListChangedRecorder ResourcesChanged { get; }

    /// <summary>Starts a server with the given plugins and a client speaking <paramref name="protocolVersion"/> (null: the SDK default).</summary>
    public static async Task<McpHarness> StartAsync(Action<IServiceCollection> addPlugins, SafetyOptions? safety = null,
        IStateStore? store = null, string? protocolVersion = "2025-11-25", Action<IServiceCollection>? configure = null,
        Func<ElicitRequestParams?, ElicitResult>? elicit = null)
    {
        Pipe c2s = new(), s2c = new();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        addPlugins(services);
        configure?.Invoke(services);
        services.AddCloudToolsCore(safety ?? new SafetyOptions(), _ => store ?? new InMemoryStateStore())
            .WithStreamServerTransport(c2s.Reader.AsStream(), s2c.Writer.AsStream());
        var provider = services.BuildServiceProvider();
        await provider.LoadRegistryAsync();
        var server = provider.GetRequiredService<McpServer>();
        var stop = new CancellationTokenSource();
        var serverTask = server.RunAsync(stop.Token);
        var recorder = new ListChangedRecorder();
        var options = recorder.ClientOptions(protocolVersion);
        var resources = new ListChangedRecorder();
        options.Handlers.NotificationHandlers = [.. options.Handlers.NotificationHandlers!, new(NotificationMethods.ResourceListChangedNotification, resources.Record)];
        if (elicit is not null)
        {
            // A client that can ask its user (and so declares elicitation); the answer is the test's.
            options.Handlers.ElicitationHandler = (request, _) => ValueTask.FromResult(elicit(request));
        }

        var client = await McpClient.CreateAsync(new StreamClientTransport(c2s.Writer.AsStream(), s2c.Reader.AsStream()), options);
        return new McpHarness(provider, client, stop, serverTask, recorder, resources);
    }

    /// <summary>Opens a <c>subscriptions/listen</c> stream for tool-list changes (revision 2026-07-28); dispose to close it.</summary>
    public IDisposable Listen()
    {
        var cts = new CancellationTokenSource();
        _ = Client.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ToolsListChanged = true } },
            cancellationToken: cts.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        return cts;
    }

    /// <summary>Calls a tool.</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null, CancellationToken cancellationToken = default) =>
        await Client.CallToolAsync(tool, ToolArgs.From(arguments), cancellationToken: cancellationToken);

    /// <summary>The advertised tool names, sorted.</summary>
    public async Task<IReadOnlyList<string>> ToolNamesAsync() => [.. (await Client.ListToolsAsync()).Select(t => t.Name).Order()];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            // The server ends when its transport closes or its token is cancelled; a server that hangs fails the test.
            await _serverTask.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Stopped by the cancellation above: what was asked.
        }

        await _services.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>Records list-changed notifications (tools, or resources) and lets a test wait for the next one.</summary>
public sealed class ListChangedRecorder
{
    private readonly Channel<JsonRpcNotification> _channel = Channel.CreateUnbounded<JsonRpcNotification>();

    /// <summary>How many have arrived.</summary>
    public int Count { get; private set; }

    /// <summary>Options for a client speaking <paramref name="protocolVersion"/> (null: the SDK default) whose notifications land here.</summary>
    public McpClientOptions ClientOptions(string? protocolVersion) => new()
    {
        ProtocolVersion = protocolVersion,
        Handlers = new McpClientHandlers { NotificationHandlers = [new(NotificationMethods.ToolListChangedNotification, Record)] },
    };

    public ValueTask Record(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        Count++;
        return _channel.Writer.WriteAsync(notification, cancellationToken);
    }

    /// <summary>Waits for the next notification; throws <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<JsonRpcNotification> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No list_changed notification arrived.");
        }
    }

    /// <summary>Whether a notification arrives within <paramref name="window"/>.</summary>
    public async Task<bool> ArrivesWithinAsync(TimeSpan window)
    {
        try
        {
            await NextAsync(window);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
