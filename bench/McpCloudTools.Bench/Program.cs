using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpCloudTools.Bench;

// McpCloudTools benchmark: runs the built servers as processes, side by side with the Go peer in the same run, and
// prints Markdown tables (README "Performance"). `--help` lists the options; README "Performance" has the full command.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    if (options.Help)
    {
        Console.Out.WriteLine(BenchOptions.Usage);
        return 0;
    }

    options = options.Resolve(RepoRoot());
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var work = Directory.CreateTempSubdirectory("mct-bench-");
try
{
    var report = await Bench.RunAsync(options, work, line => Console.Error.WriteLine(line));
    Console.Out.Write(report);
    return 0;
}
finally
{
    work.Delete(recursive: true);
}

static string RepoRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "McpCloudTools.sln")))
    {
        dir = Path.GetDirectoryName(dir);
    }

    return dir ?? Directory.GetCurrentDirectory();
}

namespace McpCloudTools.Bench
{
    internal static class Bench
    {
        public static async Task<string> RunAsync(BenchOptions options, DirectoryInfo work, Action<string> progress)
        {
            var report = new Report();
            var loads = new List<LoadMonitor>();
            var loadAtStart = LoadMonitor.OneMinuteNow();
            report.Line($"# McpCloudTools benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            report.Line($"Machine: {MachineInfo.Describe()}");
            report.Line($"Runs per launch: {options.Runs}, interleaved (median, min). HTTP: {options.Seconds} s per row, wrk on the same machine.");
            if (options.Runs < 9)
            {
                report.Line($"WARNING: {options.Runs} runs per launch is a smoke test of the harness, not a result (at least 9).");
            }

            report.Line("");

            if (options.Wants("startup"))
            {
                var launches = await Launches.BuildAsync(options, work, progress);
                var load = new LoadMonitor("cold start");
                loads.Add(load);
                load.Sample("before");
                var rows = await Startup.MeasureAsync(launches, options.Runs, load, progress);
                load.Sample("after");
                report.Line("## Cold start: spawn to the tools/list answer over stdio (initialize 2025-11-25, initialized, tools/list)");
                report.Line("Ours with every plugin enabled, read-only (the default); the Go server with its defaults. Idle RSS 0.5 s after the answer.");
                report.Line("");
                var go = rows.FirstOrDefault(r => r.Label == Launches.GoLabel && r.Failure is null);
                foreach (var line in Startup.Render(rows, go?.Median))
                {
                    report.Line(line);
                }

                report.Line("");
                report.Line(load.Summary());
                report.Line("");
            }

            if (options.Wants("size"))
            {
                var ours = ServerCommand.Ours("JIT", options.Jit!);
                report.Line("## tools/list size");
                report.Line("| mode | tools | total bytes | bytes per tool |");
                report.Line("|---|---|---|---|");
                foreach (var (label, extra) in new[] { ("read-only (default)", Array.Empty<string>()), ("--allow-write", new[] { "--allow-write" }) })
                {
                    var (count, bytes) = await ToolsListSize.MeasureAsync(ours, extra);
                    report.Line($"| {label} | {count} | {bytes} | {bytes / Math.Max(1, count)} |");
                }

                report.Line("");
            }

            if (options.Wants("lists"))
            {
                var load = new LoadMonitor("list tools");
                loads.Add(load);
                load.Sample("before");
                report.Line("## List tools against the sandbox (first page at the default limit; then every page at limit 500)");
                report.Line("| tool | scenario | items | first call ms (cold) | first page ms (warm median) | first page bytes | bytes per item, all pages | pages |");
                report.Line("|---|---|---|---|---|---|---|---|");
                var lists = await ListBench.MeasureAsync(ServerCommand.Ours("JIT", options.Jit!), options.Runs);
                load.Sample("after");
                foreach (var r in lists.Rows)
                {
                    report.Line(string.Create(CultureInfo.InvariantCulture,
                        $"| {r.Tool} | {r.Scenario} | {r.Items} | {r.ColdMs:0} | {r.FirstPageMs:0.0} | {r.FirstPageBytes} | {r.BytesPerItem:0.0} | {r.Pages} |"));
                }

                report.Line("");
                report.Line(string.Create(CultureInfo.InvariantCulture, $"Memory of that server (JIT, sandbox in-process): idle {lists.IdleRss:0.0} MiB, peak {lists.PeakRss:0.0} MiB after paging through everything."));
                report.Line(load.Summary());
                report.Line("");
            }

            if (options.Wants("clusters"))
            {
                var load = new LoadMonitor("large clusters");
                loads.Add(load);
                load.Sample("before");
                report.Line("## Large clusters: eks_pod_list, first page, against a standalone sandbox process");
                // What users launch (the native binary) when it is given; the JIT build otherwise, whose first call also compiles.
                var clusterServer = options.Aot is { } aot ? ServerCommand.Ours("NativeAOT", aot) : ServerCommand.Ours("JIT", options.Jit!);
                report.Line($"The server ({clusterServer.Label}) and the sandbox (the same build) run as two processes, so the server's memory is its own. Bytes are what the sandbox's Kubernetes API wrote for the call.");
                report.Line("");
                report.Line("| pods | first call ms (cold: connection, token, scan) | first page ms (warm median, rescans) | CPU ms per warm call: server / sandbox | bytes read from the Kubernetes API (first call) | server peak RSS MiB | target at 20,000 pods |");
                report.Line("|---|---|---|---|---|---|---|");
                foreach (var r in await ClusterBench.MeasureAsync(clusterServer, [2000, 20000], Math.Max(3, Math.Min(options.Runs, 5)), progress))
                {
                    report.Line(string.Create(CultureInfo.InvariantCulture,
                        $"| {r.Pods:N0} | {r.ColdMs:0} | {r.WarmMs:0} | {r.ServerCpuMs:0} / {r.SandboxCpuMs:0} | {r.Bytes:N0} | {r.PeakRss:0.0} | {(r.Pods == 20000 ? $"first page ≤ 1000 ms {(r.ColdMs <= 1000 ? "met" : "MISSED")}, peak RSS ≤ 250 MiB {(r.PeakRss <= 250 ? "met" : "MISSED")}" : "")} |"));
                }

                load.Sample("after");
                report.Line("");
                report.Line(load.Summary());
                report.Line("");
            }

            if (options.Wants("http"))
            {
                report.Line("## Streamable HTTP: stateless MCP 2026-07-28 tools/call of a cheap tool, wrk, 127.0.0.1");
                if (!WrkHttp.Available())
                {
                    report.Line("Skipped: `wrk` is not on PATH (Debian: `apt-get install wrk`).");
                }
                else
                {
                    var (label, path) = options.Aot is not null ? ("ours, NativeAOT", options.Aot) : ("ours, JIT", options.Jit!);
                    var targets = new List<WrkHttp.Target> { new($"{label} (plugins_list)", port => Http(ServerCommand.Ours(label, path), ["--transport", "http", "--urls", $"http://127.0.0.1:{port}", "--state", "none", "--log-level", "Warning"]), "plugins_list") };
                    if (options.Go is not null)
                    {
                        var go = Launches.Go(options.Go, work);
                        targets.Add(new("kubernetes-mcp-server, --stateless (configuration_view)", port => Http(go, [.. go.StartupArgs, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--stateless"]), "configuration_view"));
                    }

                    var load = new LoadMonitor("HTTP");
                    loads.Add(load);
                    report.Line("Both tools answer from the server's own state (no AWS, no Kubernetes API call). Rows interleaved: each client count runs against every server in turn, every other count in the reverse order.");
                    report.Line("");
                    foreach (var line in WrkHttp.Render(await WrkHttp.MeasureAsync(targets, options.Clients, options.Seconds, load, progress)))
                    {
                        report.Line(line);
                    }

                    report.Line("");
                    report.Line(load.Summary());
                    report.Line("");
                    foreach (var line in await AuditCost.MeasureAsync(label, path, work, options.Seconds, progress, loads))
                    {
                        report.Line(line);
                    }
                }

                report.Line("");
            }

            if (options.Wants("replicas"))
            {
                report.Line($"## Replicas sharing one PostgreSQL behind a round-robin load balancer: stateless 2026-07-28 tools/call ({ReplicaBench.Tool}), wrk, {ReplicaBench.Clients} clients");
                if (!WrkHttp.Available())
                {
                    report.Line("Skipped: `wrk` is not on PATH (Debian: `apt-get install wrk`).");
                }
                else if (OperatingSystem.IsWindows())
                {
                    report.Line("Skipped: the throwaway PostgreSQL needs Linux.");
                }
                else
                {
                    var load = new LoadMonitor("replicas");
                    loads.Add(load);
                    // What users run (the native binary) when it is given, else the JIT build.
                    var replicaServer = options.Aot is { } aot ? ServerCommand.Ours("NativeAOT", aot) : ServerCommand.Ours("JIT", options.Jit!);
                    report.Line($"Ours ({replicaServer.Label}), each replica with `--state postgres://…` on one throwaway PostgreSQL; the balancer is the replica tests' own (Kestrel, in the benchmark's process, " +
                                "forwarding every request), so the direct row shows what it costs. All on this one machine: the replicas share its cores.");
                    report.Line("");
                    var result = await ReplicaBench.MeasureAsync(replicaServer, options.Seconds, ReplicaBench.Samples, load, progress);
                    foreach (var line in ReplicaBench.Render(result))
                    {
                        report.Line(line);
                    }

                    report.Line("");
                    report.Line(load.Summary());
                }

                report.Line("");
            }

            var warnings = loads.Select(l => l.Warning()).Prepend(LoadMonitor.AtStart(loadAtStart)).OfType<string>().ToList();
            var text = report.ToString();
            return warnings.Count == 0
                ? text + string.Create(CultureInfo.InvariantCulture,
                    $"Load: the 1-minute load average was {loadAtStart:0.00} when the benchmark started (at most {LoadMonitor.Threshold}), and other processes took at most {LoadMonitor.OthersThreshold:0%} of the CPU while each part ran.\n")
                : string.Join('\n', warnings) + "\n\n" + text + string.Join('\n', warnings) + "\n";
        }

        private static ProcessStartInfo Http(ServerCommand server, string[] args)
        {
            var psi = server.StartInfo(args);
            psi.RedirectStandardError = true;
            psi.RedirectStandardOutput = true;
            return psi;
        }
    }

    internal sealed class Report
    {
        private readonly StringBuilder _sb = new();

        public void Line(string text) => _sb.Append(text).Append('\n');

        public override string ToString() => _sb.ToString();
    }

    internal static class MachineInfo
    {
        public static string Describe()
        {
            var cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            return $"{System.Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                   $".NET {System.Environment.Version}";
        }
    }

    internal static class Stats
    {
        public static double Median(IReadOnlyList<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }

        public static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }

    internal static class ToolsListSize
    {
        public static async Task<(int Count, int Bytes)> MeasureAsync(ServerCommand server, string[] extra)
        {
            await using var process = StdioServer.Start(server, ["--state", "none", .. extra]);
            await process.InitializeAsync();
            var (response, _) = await process.RequestAsync("tools/list", null);
            var tools = response.GetProperty("result").GetProperty("tools");
            return (tools.GetArrayLength(), System.Text.Encoding.UTF8.GetByteCount(tools.GetRawText()));
        }
    }
}
