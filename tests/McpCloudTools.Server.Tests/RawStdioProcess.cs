using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The server over stdio with the test writing the bytes itself: what a buggy or hostile client sends, line by line,
/// and the JSON-RPC answers read back from stdout.
/// </summary>
internal sealed class RawStdioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _home;
    private readonly Stream _stdin;
    private readonly StreamReader _stdout;

    private RawStdioProcess(Process process, string home)
    {
        _process = process;
        _home = home;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput;
        _ = process.StandardError.ReadToEndAsync();
    }

    public int Pid => _process.Id;

    /// <summary>Starts <c>mcp-cloud-tools --state none ARGS</c> and initializes it (MCP 2025-11-25).</summary>
    public static Task<RawStdioProcess> StartAsync(params string[] args) => StartAsync(args, null);

    /// <summary>As <see cref="StartAsync(string[])"/>, with more environment.</summary>
    public static async Task<RawStdioProcess> StartAsync(string[] args, IReadOnlyDictionary<string, string?>? environment)
    {
        var home = Directory.CreateTempSubdirectory("mct-raw-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[ServerProcess.Dll, "--state", "none", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in ServerProcess.SafeEnvironment(home).Concat(environment ?? new Dictionary<string, string?>()))
        {
            psi.Environment[k] = v;
        }

        var raw = new RawStdioProcess(Process.Start(psi)!, home);
        await raw.SendAsync(McpHttp.Initialize);
        (await raw.ReadAsync()).GetProperty("result").GetProperty("protocolVersion").GetString().Should().Be("2025-11-25");
        await raw.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return raw;
    }

    /// <summary>Writes one line.</summary>
    public Task SendAsync(string line) => SendAsync(Encoding.UTF8.GetBytes(line));

    /// <summary>Writes bytes and a newline.</summary>
    public async Task SendAsync(byte[] line)
    {
        await _stdin.WriteAsync(line);
        await _stdin.WriteAsync("\n"u8.ToArray());
        await _stdin.FlushAsync();
    }

    /// <summary>The next message on stdout.</summary>
    public async Task<JsonElement> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ServerProcess.Patience);
        var line = await _stdout.ReadLineAsync(timeout.Token);
        line.Should().NotBeNull("the server should answer, not end the stream");
        return JsonDocument.Parse(line!).RootElement.Clone();
    }

    /// <summary>Sends a ping with <paramref name="id"/> and checks it is answered: the stream is not stalled.</summary>
    public async Task PingAsync(int id)
    {
        await SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}""");
        var answer = await ReadAsync();
        answer.GetProperty("id").GetInt32().Should().Be(id);
        answer.TryGetProperty("result", out _).Should().BeTrue(answer.ToString());
    }

    /// <summary>The most memory the process has held (Linux <c>VmHWM</c>), in bytes.</summary>
    public long PeakMemoryBytes() =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;

    public async ValueTask DisposeAsync()
    {
        try
        {
            _stdin.Close();
            using var timeout = new CancellationTokenSource(ServerProcess.Patience);
            await _process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
            Directory.Delete(_home, recursive: true);
        }
    }
}
