using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests.SignIn;

/// <summary>
/// The real server with every plugin, its in-process sandbox and sign-in against <see cref="OidcProvider"/>, run
/// in-process on a free loopback port; its audit trail as JSON lines in a file the test reads.
/// </summary>
internal sealed class SignInServer : IAsyncDisposable
{
    /// <summary>The grants every sign-in test uses: everyone reads, sre writes and destroys, platform administers.</summary>
    public static readonly string[] TeamGrants =
        ["--auth-grant", "*=read", "--auth-grant", "group:sre=write,destructive", "--auth-grant", "group:platform=admin"];

    private readonly CancellationTokenSource _stop = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-signin-").FullName;
    private Task<int> _run = Task.FromResult(0);

    public int Port { get; } = TestPorts.Free();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The audience tokens are issued for: the server's /mcp URL (the default).</summary>
    public string Audience => $"{BaseUrl}/mcp";

    public string AuditPath => Path.Combine(_dir, "audit.jsonl");

    public HttpClient Http { get; private set; } = new();

    public IServiceProvider Services { get; private set; } = null!;

    /// <summary>Starts it; <c>{audience}</c> in an argument stands for <see cref="Audience"/>.</summary>
    public static async Task<SignInServer> StartAsync(string issuer, params string[] extraArgs)
    {
        var server = new SignInServer();
        string[] args = ["--transport", "http", "--urls", server.BaseUrl, "--state", "none", "--sandbox", "--auth-issuer", issuer,
            "--audit-log", server.AuditPath, .. extraArgs.Select(a => a.Replace("{audience}", server.Audience, StringComparison.Ordinal))];
        server._run = Task.Run(() => CloudToolsApp.RunAsync(args, PluginSet.AddAll, services => server.Services = services, server._stop.Token));
        await TestPorts.WaitUntilUpAsync($"{server.BaseUrl}/healthz", TimeSpan.FromSeconds(60), () => server._run.IsCompleted);
        if (server._run.IsCompleted)
        {
            throw new InvalidOperationException($"The server stopped at once with exit code {await server._run}.");
        }

        server.Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        return server;
    }

    /// <summary>An MCP client over Streamable HTTP with <paramref name="token"/>.</summary>
    public Task<(McpClient Client, ListChangedRecorder Changes)> ConnectAsync(string token) =>
        TestServer.ConnectAsync(BaseUrl, HttpTransportMode.StreamableHttp, token);

    /// <summary>The audit lines written so far, parsed; waits up to 10 s for at least <paramref name="atLeast"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> AuditAsync(Func<JsonElement, bool>? where = null, int atLeast = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(AuditPath)
                ? (await File.ReadAllLinesAsync(AuditPath)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).Where(where ?? (_ => true)).ToList()
                : [];
            if (lines.Count >= atLeast || DateTime.UtcNow > until)
            {
                return lines;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        (await _run).Should().Be(0);
        Http.Dispose();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
