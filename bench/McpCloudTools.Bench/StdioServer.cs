using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpCloudTools.Bench;

/// <summary>
/// The server under test as a child process, spoken to in raw JSON-RPC lines over stdio (no SDK on this side, so the
/// measurement is the server's time and not a client library's).
/// </summary>
internal sealed class StdioServer : IAsyncDisposable
{
    private readonly Process _process;
    private int _nextId = 1;

    private StdioServer(Process process) => _process = process;

    public int Pid => _process.Id;

    public static StdioServer Start(ServerCommand command, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = command.StartInfo(args);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.StandardOutputEncoding = Encoding.UTF8;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new StdioServer(process);
    }

    /// <summary>Sends a request and returns the raw response line (and its byte size).</summary>
    public async Task<(JsonElement Response, int Bytes)> RequestAsync(string method, JsonObject? parameters, TimeSpan? timeout = null)
    {
        var id = _nextId++;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException($"server closed stdout during {method}");
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id)
            {
                return (doc.RootElement.Clone(), Encoding.UTF8.GetByteCount(line));
            }
        }
    }

    public async Task NotifyAsync(string method)
    {
        await _process.StandardInput.WriteLineAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method }.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>initialize (2025-11-25) + initialized.</summary>
    public async Task InitializeAsync()
    {
        await RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-11-25",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "bench", ["version"] = "1" },
        });
        await NotifyAsync("notifications/initialized");
    }

    /// <summary>Calls a tool; returns its text and the text's UTF-8 size.</summary>
    public async Task<(string Text, bool IsError)> CallAsync(string tool, JsonObject arguments)
    {
        var (response, _) = await RequestAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments }, TimeSpan.FromMinutes(2));
        if (response.TryGetProperty("error", out var error))
        {
            return (error.GetRawText(), true);
        }

        var result = response.GetProperty("result");
        var text = string.Join("\n", result.GetProperty("content").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == "text").Select(c => c.GetProperty("text").GetString()));
        return (text, result.TryGetProperty("isError", out var e) && e.GetBoolean());
    }

    /// <summary>Resident set size now and at its peak, in MiB (Linux /proc).</summary>
    public (double Rss, double Peak) Memory() => ProcStatus.Read(_process.Id);

    /// <summary>The process started: the server itself, or the launcher (dnx) whose child the server is.</summary>
    public Process Process => _process;

    /// <summary>The children of the process started (the server, when a launcher started it).</summary>
    public IReadOnlyList<int> Children() => ProcStatus.Children(_process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>
/// How to launch a server: the file to run, the arguments before the server's own (<c>dotnet x.dll</c>, dnx's package
/// reference), the arguments a cold start passes, and whether the process started is a launcher that stays resident as
/// the server's parent (dnx).
/// </summary>
internal sealed record ServerCommand(string Label, string FileName, IReadOnlyList<string> Prefix, IReadOnlyList<string> StartupArgs)
{
    public bool LauncherIsParent { get; init; }

    /// <summary>Keeps its start profile where <c>MCPCLOUDTOOLS_JIT_PROFILE</c> says (ours; the echo server): a JIT build plays it, a native one ignores it.</summary>
    public bool KeepsStartProfile { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A build of ours: <c>dotnet x.dll</c> for a .dll, else the executable itself.</summary>
    public static ServerCommand Ours(string label, string path) => Of(label, path, ["--state", "none"]) with { KeepsStartProfile = true };

    /// <summary>This launch with one more environment variable.</summary>
    public ServerCommand With(string variable, string value) =>
        this with { Environment = new Dictionary<string, string>(Environment) { [variable] = value } };

    /// <summary>A framework-dependent build of ours as its first start runs: no start profile to play (nor one recorded).</summary>
    public ServerCommand WithoutStartProfile() => With(Launches.JitProfileVariable, "off");

    /// <summary>Any MCP server over stdio: <c>dotnet x.dll</c> for a .dll, else the executable itself.</summary>
    public static ServerCommand Of(string label, string path, IReadOnlyList<string> startupArgs) =>
        path.EndsWith(".dll", StringComparison.Ordinal)
            ? new ServerCommand(label, "dotnet", [path], startupArgs)
            : new ServerCommand(label, path, [], startupArgs);

    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var a in Prefix.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in BenchEnvironment.Safe().Concat(Environment))
        {
            psi.Environment[k] = v;
        }

        return psi;
    }
}

internal static class ProcStatus
{
    public static (double Rss, double Peak) Read(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadAllLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    /// <summary>Child processes, from <c>/proc/PID/task/*/children</c>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var task in Directory.Exists($"/proc/{pid}/task") ? Directory.GetDirectories($"/proc/{pid}/task") : [])
        {
            var file = Path.Combine(task, "children");
            if (File.Exists(file))
            {
                children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return children;
    }

    private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}

internal static class BenchEnvironment
{
    /// <summary>
    /// Nothing the benchmark starts may reach real AWS or the instance-metadata address; nor play or write a start
    /// profile in the user's cache, whose state would change the figures from one run to the next (the cold-start
    /// launches get a folder each instead).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Safe() =>
    [
        new("AWS_EC2_METADATA_DISABLED", "true"),
        new("AWS_ACCESS_KEY_ID", "test"),
        new("AWS_SECRET_ACCESS_KEY", "test"),
        new("AWS_REGION", "us-east-1"),
        new("DOTNET_NOLOGO", "1"),
        new(Launches.JitProfileVariable, "off"),
    ];
}
