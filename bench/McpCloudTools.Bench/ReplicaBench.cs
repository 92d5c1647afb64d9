using System.Diagnostics;
using System.Globalization;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Bench;

/// <summary>
/// Replicas sharing one state (issue 16): a throwaway real PostgreSQL (<see cref="PostgresServer"/>), three server
/// processes with <c>--state postgres://…</c> on free loopback ports, and the round-robin <see cref="LoadBalancer"/> of
/// the replica tests in front of one or all of them. Throughput is wrk's stateless 2026-07-28 <c>tools/call</c> (as in
/// <see cref="WrkHttp"/>) through the balancer; propagation is a REST change on replica 1 until an MCP client's
/// <c>subscriptions/listen</c> stream on replica 3 receives <c>notifications/tools/list_changed</c>.
/// </summary>
internal static class ReplicaBench
{
    public const int Replicas = 3;
    public const int Clients = 16;
    public const string Tool = "plugins_list";
    public const int Samples = 40;

    public sealed record Result(List<WrkHttp.Row> Throughput, List<double> PropagationMs, int Missed, string Database);

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<Result> MeasureAsync(ServerCommand server, int seconds, int samples, LoadMonitor load, Action<string> progress)
    {
        // Disposed last (after the replicas are gone): stops PostgreSQL and removes its cluster.
        await using var postgres = new PostgresServer();
        var work = Directory.CreateTempSubdirectory("mct-replicas-");
        var processes = new List<Process>();
        try
        {
            await postgres.StartAsync();
            var database = await postgres.CreateDatabaseAsync("bench");
            var passwordFile = Path.Combine(work.FullName, "password");
            await File.WriteAllTextAsync(passwordFile, postgres.Password + "\n");
            var state = $"postgres://{PostgresServer.User}@127.0.0.1:{postgres.Port}/{database}?application_name=mct-bench";
            progress($"replicas: PostgreSQL {postgres.Version} on port {postgres.Port} ({postgres.StartTime.TotalMilliseconds:0} ms to start)");

            var urls = new List<string>();
            for (var i = 0; i < Replicas; i++)
            {
                var port = WrkHttp.FreePort();
                var psi = server.StartInfo(["--transport", "http", "--urls", $"http://127.0.0.1:{port}", "--state", state,
                    "--state-password-file", passwordFile, "--allow-write", "--log-level", "Warning"]);
                psi.RedirectStandardError = true;
                psi.RedirectStandardOutput = true;
                var process = Process.Start(psi) ?? throw new InvalidOperationException($"replica {i + 1}: could not start");
                processes.Add(process);
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                urls.Add($"http://127.0.0.1:{port}");
            }

            foreach (var (url, process) in urls.Zip(processes))
            {
                await TestPorts.WaitUntilUpAsync($"{url}/readyz", TimeSpan.FromSeconds(60), () => process.HasExited);
                await WrkHttp.ProbeAsync("replica " + url, $"{url}/mcp", Tool);
            }

            progress($"replicas: {Replicas} replicas ready on database {database}");
            var script = Path.Combine(work.FullName, "call.lua");
            await File.WriteAllTextAsync(script, WrkHttp.Script(Tool));

            await using var one = await LoadBalancer.StartAsync([urls[0]]);
            await using var all = await LoadBalancer.StartAsync(urls);
            var targets = new (string Label, string Url)[]
            {
                ("1 replica, direct (no balancer)", $"{urls[0]}/mcp"),
                ("1 replica through the balancer", $"{one.BaseUrl}/mcp"),
                ($"{Replicas} replicas through the balancer", $"{all.BaseUrl}/mcp"),
            };
            foreach (var (_, url) in targets)
            {
                await WrkHttp.RunWrkAsync(script, url, Clients, Math.Min(2, seconds)); // warm-up (JIT tiering, pools)
            }

            load.Sample("before");
            var rows = new List<WrkHttp.Row>();
            foreach (var (label, url) in targets)
            {
                rows.Add(await WrkHttp.RunWrkAsync(script, url, Clients, seconds) with { Label = label });
                load.Sample(label);
            }

            var spread = all.RequestsPerUpstream;
            progress($"replicas: throughput done; requests per replica behind the balancer {string.Join("/", spread)}");

            var (latencies, missed) = await PropagationAsync(urls[0], urls[^1], samples, progress);
            load.Sample("propagation");
            return new Result(rows, latencies, missed, database);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
                process.Dispose();
            }

            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Disables and enables the <c>ec2</c> instance in turn through replica 1's REST API, each time timing until the
    /// listener on the last replica hears <c>tools/list_changed</c>. Extra notifications are drained between samples.
    /// </summary>
    private static async Task<(List<double> Latencies, int Missed)> PropagationAsync(string first, string last, int samples, Action<string> progress)
    {
        var recorder = new ListChangedRecorder();
        await using var listener = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"{last}/mcp"), TransportMode = HttpTransportMode.StreamableHttp }),
            recorder.ClientOptions(protocolVersion: null));
        using var listen = new CancellationTokenSource();
        _ = listener.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ToolsListChanged = true } },
            cancellationToken: listen.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        using var http = new HttpClient { BaseAddress = new Uri(first), Timeout = TimeSpan.FromSeconds(30) };

        // The listen request reaches the replica: one change heard proves the stream is open.
        // Every change flips ec2 (a change to what already holds would notify nobody): enabled at start.
        var enabled = true;
        string Flip() => (enabled = !enabled) ? "enable" : "disable";
        var heard = false;
        for (var i = 0; i < 20 && !heard; i++)
        {
            await ChangeAsync(http, Flip());
            heard = await recorder.ArrivesWithinAsync(TimeSpan.FromSeconds(2));
        }

        if (!heard)
        {
            throw new InvalidOperationException($"no tools/list_changed reached the listener on {last} after 20 changes on {first}");
        }

        await DrainAsync(recorder);
        var latencies = new List<double>();
        var missed = 0;
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await ChangeAsync(http, Flip());
            try
            {
                await recorder.NextAsync(TimeSpan.FromSeconds(10));
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                missed++;
            }

            await DrainAsync(recorder);
        }

        progress($"replicas: {latencies.Count} propagation samples, {missed} missed");
        await listen.CancelAsync();
        return (latencies, missed);
    }

    private static async Task ChangeAsync(HttpClient http, string action)
    {
        using var response = await http.PostAsync($"/api/plugins/ec2/{action}", null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/plugins/ec2/{action} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Lets any further notification of the last change arrive and discards it, so the next sample times its own.</summary>
    private static async Task DrainAsync(ListChangedRecorder recorder)
    {
        while (await recorder.ArrivesWithinAsync(TimeSpan.FromMilliseconds(200)))
        {
        }
    }

    public static IEnumerable<string> Render(Result result)
    {
        yield return "| replicas | calls | calls/s | p50 ms | p99 ms | errors |";
        yield return "|---|---|---|---|---|---|";
        foreach (var r in result.Throughput)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Requests} | {r.PerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} |");
        }

        yield return "";
        var sorted = result.PropagationMs.Order().ToList();
        yield return sorted.Count == 0
            ? $"Change propagation: no sample arrived ({result.Missed} changes unheard within 10 s)."
            : string.Create(CultureInfo.InvariantCulture,
                $"Change propagation (REST change on replica 1 → `tools/list_changed` on replica {Replicas}'s `subscriptions/listen` stream), {sorted.Count} samples: " +
                $"p50 {Stats.Percentile(sorted, 0.50):0} ms, p99 {Stats.Percentile(sorted, 0.99):0} ms, max {sorted[^1]:0} ms{(result.Missed > 0 ? $", {result.Missed} unheard within 10 s" : "")}; " +
                $"target within 1 s: {(Stats.Percentile(sorted, 0.99) <= 1000 && result.Missed == 0 ? "met" : "MISSED")}.");
    }
}
