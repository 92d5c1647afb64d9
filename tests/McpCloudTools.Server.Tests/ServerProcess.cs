using System.Diagnostics;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The built <c>mcp-cloud-tools</c> executable, spawned as a client spawns it, with a home folder and state file of its
/// own in a temp folder so that nothing of the user's is read or written. Over stdio the MCP client owns the process;
/// in HTTP mode this does. Either way the process is gone after dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly List<string> _stderr = [];
    private readonly bool _ownsHome;
    private Process? _process;

    private ServerProcess(string? home = null)
    {
        _ownsHome = home is null;
        Home = home ?? Directory.CreateTempSubdirectory("mct-process-").FullName;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = Patience };
    }

    /// <summary>How long one step (start, call, notification) may take on a slow, loaded machine before the test fails.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The built server beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mcp-cloud-tools.dll");

    /// <summary>An environment that keeps the server away from the instance-metadata address and the user's files and credentials.</summary>
    public static Dictionary<string, string?> SafeEnvironment(string home) => new()
    {
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["HOME"] = home,
        ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
        ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
        [JitStartProfile.Variable] = null,
    };

    /// <summary>
    /// How to launch the server: <c>dotnet</c>, or, when <paramref name="permissionsEnforced"/> and the tests run as
    /// root (which ignores file permissions), <c>setpriv</c> dropping the capabilities that bypass them, so that a
    /// read-only folder or an unreadable file is what it is for every other user.
    /// </summary>
    public static (string Command, string[] Prefix) Launcher(bool permissionsEnforced) =>
        permissionsEnforced && Environment.IsPrivilegedProcess
            ? ("setpriv", ["--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-dac_override,-dac_read_search", "dotnet"])
            : ("dotnet", []);

    /// <summary>Runs the server with stdin closed at once, as a client that gives up would; returns its exit code and output.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunToExitAsync(string home, bool permissionsEnforced, params string[] args) =>
        RunToExitAsync(home, permissionsEnforced, new Dictionary<string, string?>(), args);

    /// <summary>Runs the server with stdin closed at once and <paramref name="environment"/> added to the safe one; returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunToExitAsync(string home, bool permissionsEnforced,
        IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var (command, prefix) = Launcher(permissionsEnforced);
        var psi = new ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[.. prefix, Dll, .. args])
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in SafeEnvironment(home).Concat(environment))
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The process's home folder, deleted on dispose.</summary>
    public string Home { get; }

    /// <summary>The state file the server is given.</summary>
    public string StatePath => Path.Combine(Home, "state.json");

    /// <summary>A loopback port for HTTP (the REST API beside stdio, or the HTTP transport).</summary>
    public int Port { get; } = TestPorts.Free();

    /// <summary>The HTTP base address.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>A client of <see cref="BaseUrl"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>The MCP client: over stdio, or Streamable HTTP in HTTP mode.</summary>
    public McpClient Client { get; private set; } = null!;

    /// <summary>The <c>notifications/tools/list_changed</c> that <see cref="Client"/> received.</summary>
    public ListChangedRecorder Changes { get; private set; } = new();

    /// <summary>The lines the server wrote to stderr so far.</summary>
    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    /// <summary>
    /// Starts <c>mcp-cloud-tools --state STATE [--urls BASEURL] ARGS</c> over stdio and connects to it; with
    /// <paramref name="rest"/> the process also serves the REST API at <see cref="BaseUrl"/>, and this waits for it.
    /// </summary>
    public static async Task<ServerProcess> StartStdioAsync(string[] args, bool rest = false, string? protocolVersion = "2025-11-25",
        bool permissionsEnforced = false, IReadOnlyDictionary<string, string?>? environment = null, string? home = null)
    {
        var server = new ServerProcess(home);
        try
        {
            var (command, prefix) = Launcher(permissionsEnforced);
            var transport = new StdioClientTransport(new StdioClientTransportOptions
            {
                Command = command,
                Arguments = [.. prefix, Dll, "--state", server.StatePath, .. rest ? ["--urls", server.BaseUrl] : Array.Empty<string>(), .. args],
                EnvironmentVariables = Merge(SafeEnvironment(server.Home), environment),
                StandardErrorLines = server.OnStderr,
            });
            var options = server.Changes.ClientOptions(protocolVersion);
            options.InitializationTimeout = Patience;
            options.DiscoverProbeTimeout = Patience; // a server that is still starting is not one that ignores server/discover
            server.Client = await McpClient.CreateAsync(transport, options);
            if (rest)
            {
                await TestPorts.WaitUntilUpAsync($"{server.BaseUrl}/healthz", Patience);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <c>mcp-cloud-tools --transport http --urls BASEURL --state STATE ARGS</c>, waits for <c>/healthz</c> and
    /// connects a Streamable HTTP client.
    /// </summary>
    public static Task<ServerProcess> StartHttpAsync(params string[] args) => StartHttpAsync(args, null, null);

    /// <summary>As <see cref="StartHttpAsync(string[])"/>, with more environment and the client's API token.</summary>
    public static async Task<ServerProcess> StartHttpAsync(string[] args, IReadOnlyDictionary<string, string?>? environment, string? token)
    {
        var server = new ServerProcess();
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[Dll, "--transport", "http", "--urls", server.BaseUrl, "--state", server.StatePath, .. args])
            {
                psi.ArgumentList.Add(arg);
            }

            foreach (var (key, value) in Merge(SafeEnvironment(server.Home), environment))
            {
                psi.Environment[key] = value;
            }

            if (token is not null)
            {
                server.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            var process = server._process = new Process { StartInfo = psi };
            process.ErrorDataReceived += (_, e) => server.OnStderr(e.Data);
            process.OutputDataReceived += (_, e) => server.OnStderr(e.Data is null ? null : $"stdout: {e.Data}");
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await TestPorts.WaitUntilUpAsync($"{server.BaseUrl}/healthz", Patience, () => process.HasExited);
            (server.Client, server.Changes) = await TestServer.ConnectAsync(server.BaseUrl, HttpTransportMode.StreamableHttp, token);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> safe, IReadOnlyDictionary<string, string?>? more)
    {
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            safe[key] = value;
        }

        return safe;
    }

    /// <summary>Calls a tool, failing the test rather than hanging when no answer comes.</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await Client.CallToolAsync(tool, ToolArgs.From(arguments), cancellationToken: timeout.Token);
    }

    /// <summary>The text of a tool call that must succeed.</summary>
    public async Task<string> TextAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        result.IsError.Should().NotBe(true, $"{tool} should succeed, but said: {result.Text()}");
        return result.Text();
    }

    /// <summary>A fresh <c>tools/list</c>, by name.</summary>
    public async Task<IReadOnlyList<Tool>> ToolsAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return [.. (await Client.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.ProtocolTool).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>Waits until the server has written a stderr line containing <paramref name="fragment"/>.</summary>
    public async Task WaitForStderrAsync(string fragment)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!Stderr.Any(l => l.Contains(fragment, StringComparison.Ordinal)))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the server should log '{fragment}'; stderr so far:\n{string.Join("\n", Stderr)}");
            await Task.Delay(50);
        }
    }

    private void OnStderr(string? line)
    {
        if (line is not null)
        {
            lock (_stderr)
            {
                _stderr.Add(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            // Over stdio this closes the server's stdin, and the SDK kills the process tree if it does not exit.
            await Client.DisposeAsync();
        }

        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(Patience);
            await _process.WaitForExitAsync(timeout.Token);
            _process.Dispose();
        }

        Http.Dispose();
        if (_ownsHome)
        {
            Directory.Delete(Home, recursive: true);
        }
    }
}
