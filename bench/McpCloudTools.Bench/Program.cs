using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using McpCloudTools.Bench;

// McpCloudTools benchmark: runs the built server as a process and prints a Markdown table (README "Performance").
// Usage: dotnet run -c Release --project bench/McpCloudTools.Bench -- [--server PATH] [--also LABEL=PATH]... [--runs 7]
//        [--only startup,size,memory,lists,http] [--seconds 5]
var options = BenchOptions.Parse(args);
var report = new Report();
report.Line($"# McpCloudTools benchmark, {DateTime.UtcNow:yyyy-MM-dd}");
report.Line($"Machine: {MachineInfo.Describe()}");
report.Line($"Runs per figure: {options.Runs} (median shown, min in brackets where timing)");
report.Line("");

if (options.Wants("startup"))
{
    report.Line("## Cold start: spawn to the tools/list answer over stdio, all plugins enabled");
    report.Line("| build | median ms | min ms | idle RSS MiB | with AWS unreachable, median ms |");
    report.Line("|---|---|---|---|---|");
    foreach (var server in options.Servers)
    {
        var normal = await Startup.MeasureAsync(server, options.Runs, unreachableAws: false);
        var unreachable = await Startup.MeasureAsync(server, options.Runs, unreachableAws: true);
        report.Line($"| {server.Label} | {normal.Median:0} | {normal.Min:0} | {normal.IdleRss:0.0} | {unreachable.Median:0} |");
    }

    report.Line("");
}

if (options.Wants("size"))
{
    report.Line("## tools/list size");
    report.Line("| mode | tools | total bytes | bytes per tool |");
    report.Line("|---|---|---|---|");
    foreach (var (label, extra) in new[] { ("read-only (default)", Array.Empty<string>()), ("--allow-write", new[] { "--allow-write" }) })
    {
        var (count, bytes) = await ToolsListSize.MeasureAsync(options.Servers[0], extra);
        report.Line($"| {label} | {count} | {bytes} | {bytes / Math.Max(1, count)} |");
    }

    report.Line("");
}

if (options.Wants("lists"))
{
    report.Line("## List tools against the sandbox (first page at the default limit; then every page at limit 500)");
    report.Line("| tool | scenario | items | first call ms (cold) | first page ms (warm median) | first page bytes | bytes per item, all pages | pages |");
    report.Line("|---|---|---|---|---|---|---|---|");
    var lists = await ListBench.MeasureAsync(options.Servers[0], options.Runs);
    foreach (var r in lists.Rows)
    {
        report.Line($"| {r.Tool} | {r.Scenario} | {r.Items} | {r.ColdMs:0} | {r.FirstPageMs:0.0} | {r.FirstPageBytes} | {r.BytesPerItem:0.0} | {r.Pages} |");
    }

    report.Line("");
    report.Line($"Memory of that server: idle {lists.IdleRss:0.0} MiB, peak {lists.PeakRss:0.0} MiB after paging through everything.");
    report.Line("");
}

if (options.Wants("http"))
{
    report.Line($"## Streamable HTTP throughput of a cheap tool (plugins_list), {options.Seconds} s per row, on 127.0.0.1");
    report.Line("| clients | calls | calls/s | p50 ms | p99 ms | errors |");
    report.Line("|---|---|---|---|---|---|");
    foreach (var clients in new[] { 1, 4, 16 })
    {
        var r = await HttpThroughput.MeasureAsync(options.Servers[0], clients, TimeSpan.FromSeconds(options.Seconds));
        report.Line($"| {clients} | {r.Calls} | {r.PerSecond:0} | {r.P50:0.00} | {r.P99:0.00} | {r.Errors} |");
    }

    report.Line("");
}

Console.Out.Write(report.ToString());
return 0;

internal sealed class Report
{
    private readonly StringBuilder _sb = new();

    public void Line(string text) => _sb.Append(text).Append('\n');

    public override string ToString() => _sb.ToString();
}

internal sealed record BenchOptions(IReadOnlyList<ServerCommand> Servers, int Runs, int Seconds, HashSet<string> Only)
{
    public bool Wants(string part) => Only.Count == 0 || Only.Contains(part);

    public static BenchOptions Parse(string[] args)
    {
        var servers = new List<ServerCommand>();
        var runs = 7;
        var seconds = 5;
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--server": servers.Insert(0, new ServerCommand("JIT", Path.GetFullPath(args[++i]))); break;
                case "--also":
                    var pair = args[++i].Split('=', 2);
                    servers.Add(new ServerCommand(pair[0], Path.GetFullPath(pair[1])));
                    break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only.UnionWith(args[++i].Split(',')); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (servers.Count == 0 || servers[0].Label != "JIT")
        {
            servers.Insert(0, new ServerCommand("JIT (dotnet mcp-cloud-tools.dll)", DefaultServer()));
        }

        return new BenchOptions(servers, Math.Max(7, runs), seconds, only);
    }

    private static string DefaultServer()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "McpCloudTools.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        var path = Path.Combine(dir ?? ".", "src", "McpCloudTools.Server", "bin", "Release", "net10.0", "mcp-cloud-tools.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the server first: dotnet build -c Release ({path})");
    }
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

internal static class Startup
{
    public static async Task<(double Median, double Min, double IdleRss)> MeasureAsync(ServerCommand server, int runs, bool unreachableAws)
    {
        var env = unreachableAws
            ? new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://10.255.255.1:9" }
            : new Dictionary<string, string>();
        var times = new List<double>();
        var rss = new List<double>();
        await RunOnceAsync(server, env); // warm the disk cache; not counted
        for (var i = 0; i < runs; i++)
        {
            var (ms, mem) = await RunOnceAsync(server, env);
            times.Add(ms);
            rss.Add(mem);
        }

        return (Stats.Median(times), times.Min(), Stats.Median(rss));
    }

    private static async Task<(double Ms, double Rss)> RunOnceAsync(ServerCommand server, Dictionary<string, string> env)
    {
        var clock = Stopwatch.StartNew();
        await using var process = StdioServer.Start(server, ["--state", "none"], env);
        await process.InitializeAsync();
        var (response, _) = await process.RequestAsync("tools/list", null);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.TryGetProperty("result", out _))
        {
            throw new InvalidOperationException("tools/list failed: " + response);
        }

        await Task.Delay(500);
        return (ms, process.Memory().Rss);
    }
}

internal static class ToolsListSize
{
    public static async Task<(int Count, int Bytes)> MeasureAsync(ServerCommand server, string[] extra)
    {
        await using var process = StdioServer.Start(server, ["--state", "none", .. extra]);
        await process.InitializeAsync();
        var (response, _) = await process.RequestAsync("tools/list", null);
        var tools = response.GetProperty("result").GetProperty("tools");
        return (tools.GetArrayLength(), Encoding.UTF8.GetByteCount(tools.GetRawText()));
    }
}
