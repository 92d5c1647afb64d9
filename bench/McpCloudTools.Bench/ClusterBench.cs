using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpCloudTools.Bench;

/// <summary>
/// <c>eks_pod_list</c> over a large cluster: a standalone sandbox (<c>mcp-cloud-tools sandbox --size eks.pods=N</c>)
/// and the server pointed at it with <c>AWS_ENDPOINT_URL</c>, so that the server's peak RSS is its own and not the
/// emulated cluster's. Bytes read come from the sandbox's control endpoint (<c>kubeResponseBytes</c>).
/// </summary>
internal static class ClusterBench
{
    public sealed record Row(int Pods, double ColdMs, double WarmMs, long Bytes, double PeakRss, double ServerCpuMs, double SandboxCpuMs);

    public static async Task<List<Row>> MeasureAsync(ServerCommand server, IReadOnlyList<int> sizes, int runs, Action<string> progress)
    {
        var rows = new List<Row>();
        foreach (var pods in sizes)
        {
            progress($"large clusters: {pods} pods");
            rows.Add(await MeasureAsync(server, pods, runs));
        }

        return rows;
    }

    private static async Task<Row> MeasureAsync(ServerCommand server, int pods, int runs)
    {
        var port = FreePort();
        var sandboxInfo = server.StartInfo(["sandbox", "--port", port.ToString(CultureInfo.InvariantCulture), "--size", $"eks.pods={pods}"]);
        sandboxInfo.RedirectStandardError = true;
        sandboxInfo.RedirectStandardOutput = true;
        using var sandbox = Process.Start(sandboxInfo) ?? throw new InvalidOperationException("could not start the sandbox");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        sandbox.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        sandbox.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        sandbox.BeginErrorReadLine();
        sandbox.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilUpAsync(http, sandbox);
            var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{port}" };
            await using var process = StdioServer.Start(server, ["--state", "none", "--log-level", "Warning"], env);
            await process.InitializeAsync();
            var args = new JsonObject { ["cluster_id"] = "eks:prod" };

            var before = await KubeBytesAsync(http);
            var clock = Stopwatch.StartNew();
            var (text, error) = await process.CallAsync("eks_pod_list", (JsonObject)args.DeepClone());
            var coldMs = clock.Elapsed.TotalMilliseconds;
            var bytes = await KubeBytesAsync(http) - before;
            if (error || !text.Contains($": {pods};", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"eks_pod_list over {pods} pods failed or miscounted: {text[..Math.Min(text.Length, 300)]}");
            }

            var times = new List<double>();
            var (serverCpu, sandboxCpu) = (CpuMs(process.Pid), CpuMs(sandbox.Id));
            for (var i = 0; i < runs; i++)
            {
                clock.Restart();
                await process.CallAsync("eks_pod_list", (JsonObject)args.DeepClone());
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            return new Row(pods, coldMs, Stats.Median(times), bytes, process.Memory().Peak,
                (CpuMs(process.Pid) - serverCpu) / runs, (CpuMs(sandbox.Id) - sandboxCpu) / runs);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"{e.Message}\nsandbox ({(sandbox.HasExited ? $"exited {sandbox.ExitCode}" : "running")}):\n{string.Join('\n', log.TakeLast(20))}", e);
        }
        finally
        {
            sandbox.Kill(entireProcessTree: true);
            await sandbox.WaitForExitAsync();
        }
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process sandbox)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (sandbox.HasExited)
            {
                throw new InvalidOperationException($"the sandbox exited with {sandbox.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync("/_sandbox/state");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet (seeding).
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the sandbox did not answer within 3 minutes");
    }

    private static async Task<long> KubeBytesAsync(HttpClient http)
    {
        using var state = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/state"));
        return state.RootElement.GetProperty("services").GetProperty("eks").GetProperty("kubeResponseBytes").GetInt64();
    }

    /// <summary>User + system CPU time of a process (<c>/proc/PID/stat</c> fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
