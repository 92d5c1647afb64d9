using System.Net.Http.Headers;
using McpCloudTools.Core;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The real server (<see cref="CloudToolsApp.RunAsync"/>: command line, configuration, Kestrel, transports, REST)
/// run in-process with the test plugins on a free loopback port.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task<int> _run = Task.FromResult(0);

    public int Port { get; } = TestPorts.Free();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string StatePath { get; } = Path.Combine(Directory.CreateTempSubdirectory("mct-server-").FullName, "state.json");

    public HttpClient Http { get; private set; } = new();

    public IServiceProvider Services { get; private set; } = null!;

    public McpCloudTools.Core.Mcp.ToolListSubscriptions Subscriptions => Services.GetRequiredService<McpCloudTools.Core.Mcp.ToolListSubscriptions>();

    public static async Task<TestServer> StartAsync(params string[] extraArgs)
    {
        var server = new TestServer();
        string[] args = ["--transport", "http", "--urls", server.BaseUrl, "--state", server.StatePath, .. extraArgs];
        server._run = Task.Run(() => CloudToolsApp.RunAsync(args, s => { s.AddPlugin<TestPlugin>(); s.AddPlugin<OtherPlugin>(); },
            services => server.Services = services, server._stop.Token));
        await TestPorts.WaitUntilUpAsync($"{server.BaseUrl}/healthz", TimeSpan.FromSeconds(20), () => server._run.IsCompleted);
        server.Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var token = extraArgs.SkipWhile(a => a != "--api-token").Skip(1).FirstOrDefault();
        if (token is not null)
        {
            server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return server;
    }

    public Task<(McpClient Client, ListChangedRecorder Changes)> ConnectAsync(HttpTransportMode mode, string? token = null, string? protocolVersion = "2025-11-25") =>
        ConnectAsync(BaseUrl, mode, token, protocolVersion);

    /// <summary>An MCP client of the server at <paramref name="baseUrl"/>: Streamable HTTP at /mcp or legacy SSE at /sse.</summary>
    public static async Task<(McpClient Client, ListChangedRecorder Changes)> ConnectAsync(string baseUrl, HttpTransportMode mode, string? token = null,
        string? protocolVersion = "2025-11-25")
    {
        var recorder = new ListChangedRecorder();
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(mode == HttpTransportMode.Sse ? $"{baseUrl}/sse" : $"{baseUrl}/mcp"),
            TransportMode = mode,
        };
        if (token is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        }

        var client = await McpClient.CreateAsync(new HttpClientTransport(options), recorder.ClientOptions(protocolVersion));
        return (client, recorder);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        (await _run).Should().Be(0);
        Http.Dispose();
        _stop.Dispose();
        Directory.Delete(Path.GetDirectoryName(StatePath)!, recursive: true);
    }
}
