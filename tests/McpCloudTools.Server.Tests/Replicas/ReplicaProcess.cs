using System.Diagnostics;
using System.Runtime.InteropServices;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests.Replicas;

/// <summary>
/// One replica: the built server spawned in HTTP mode on its own loopback port with the arguments given (a shared
/// <c>--state</c> database), which this can SIGKILL, SIGTERM and start again on the same port. Gone after dispose.
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly List<string> _log = [];
    private Process? _process;

    private ReplicaProcess(string name, string[] args)
    {
        Name = name;
        _args = args;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = ServerProcess.Patience };
    }

    public string Name { get; }

    public string Home { get; } = Directory.CreateTempSubdirectory("mct-replica-").FullName;

    public int Port { get; } = TestPorts.Free();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything it wrote to stderr and stdout, across restarts.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join("\n", _log);
            }
        }
    }

    /// <summary>Starts <c>mcp-cloud-tools --transport http --urls BASEURL ARGS</c> and waits for <c>/readyz</c>.</summary>
    public static async Task<ReplicaProcess> StartAsync(string name, params string[] args)
    {
        var replica = new ReplicaProcess(name, args);
        try
        {
            await replica.StartAsync();
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process (again, after a kill) and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[ServerProcess.Dll, "--transport", "http", "--urls", BaseUrl, .. _args])
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in ServerProcess.SafeEnvironment(Home))
        {
            psi.Environment[key] = value;
        }

        _process?.Dispose();
        var process = _process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await TestPorts.WaitUntilUpAsync($"{BaseUrl}/readyz", ServerProcess.Patience, () => process.HasExited);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{Name} did not become ready; its log:\n{Log}", e);
        }
    }

    /// <summary><c>kill -9</c>: no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Sends SIGTERM, as Kubernetes does to a pod it stops.</summary>
    public void Terminate()
    {
        if (_process is { HasExited: false } p && SendSignal(p.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: {Marshal.GetLastWin32Error()}");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
        Directory.Delete(Home, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
