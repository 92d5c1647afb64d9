using System.Diagnostics;
using System.Globalization;

namespace McpCloudTools.Bench;

/// <summary>
/// Cold start, spawn to the <c>tools/list</c> answer over stdio, of every launch in the same interleaved series: one
/// warm-up round (not counted: it fills the disk cache, lets dnx extract its package and records the start profile of
/// the framework-dependent builds), then run 1 of every launch, run 2 of every launch, and so on, so that a change in
/// the machine's load hits every launch alike.
/// </summary>
internal static class Startup
{
    /// <summary>One launch's figures. <paramref name="LauncherRss"/> is dnx's own memory when dnx is the server's parent.</summary>
    public sealed record Row(string Label, int Tools, IReadOnlyList<double> Times, double ServerRss, double? LauncherRss, string? Failure)
    {
        public double Median => Times.Count == 0 ? double.NaN : Stats.Median(Times);

        public double Min => Times.Count == 0 ? double.NaN : Times.Min();
    }

    public static async Task<List<Row>> MeasureAsync(IReadOnlyList<ServerCommand> launches, int runs, LoadMonitor load, Action<string> progress)
    {
        var times = launches.Select(_ => new List<double>()).ToArray();
        var serverRss = launches.Select(_ => new List<double>()).ToArray();
        var launcherRss = launches.Select(_ => new List<double>()).ToArray();
        var tools = new int[launches.Count];
        var failures = new string?[launches.Count];
        for (var round = 0; round <= runs; round++)
        {
            for (var i = 0; i < launches.Count; i++)
            {
                if (failures[i] is not null)
                {
                    continue;
                }

                try
                {
                    var run = await RunOnceAsync(launches[i]);
                    tools[i] = run.Tools;
                    if (round > 0)
                    {
                        times[i].Add(run.Ms);
                        serverRss[i].Add(run.ServerRss);
                        if (run.LauncherRss is { } l)
                        {
                            launcherRss[i].Add(l);
                        }
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception or System.Text.Json.JsonException)
                {
                    failures[i] = e.Message;
                }
            }

            load.Sample(round == 0 ? "warm-up" : $"round {round}");
            progress(round == 0 ? "startup: warm-up round done" : $"startup: round {round}/{runs} done");
        }

        return [.. launches.Select((l, i) => new Row(l.Label, tools[i], times[i],
            serverRss[i].Count == 0 ? double.NaN : Stats.Median(serverRss[i]),
            launcherRss[i].Count == 0 ? null : Stats.Median(launcherRss[i]), failures[i]))];
    }

    /// <summary>The Markdown table.</summary>
    public static IEnumerable<string> Render(IReadOnlyList<Row> rows, double? baselineMedian)
    {
        yield return "| launch | tools | median ms | min ms | × Go | idle RSS MiB (server) | launcher RSS MiB |";
        yield return "|---|---|---|---|---|---|---|";
        foreach (var r in rows)
        {
            if (r.Failure is not null)
            {
                yield return $"| {r.Label} | failed: {r.Failure.ReplaceLineEndings(" ")} | | | | | |";
                continue;
            }

            var ratio = baselineMedian is > 0 ? (r.Median / baselineMedian.Value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            var launcher = r.LauncherRss is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Tools} | {r.Median:0} | {r.Min:0} | {ratio} | {r.ServerRss:0.0} | {launcher} |");
        }
    }

    private static async Task<(double Ms, int Tools, double ServerRss, double? LauncherRss)> RunOnceAsync(ServerCommand launch)
    {
        var clock = Stopwatch.StartNew();
        await using var process = StdioServer.Start(launch, launch.StartupArgs);
        await process.InitializeAsync();
        var (response, _) = await process.RequestAsync("tools/list", null);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.TryGetProperty("result", out var result))
        {
            throw new InvalidOperationException("tools/list failed: " + response);
        }

        await Task.Delay(500);
        if (!launch.LauncherIsParent)
        {
            return (ms, result.GetProperty("tools").GetArrayLength(), process.Memory().Rss, null);
        }

        var server = process.Children().FirstOrDefault();
        if (server == 0)
        {
            throw new InvalidOperationException($"{launch.Label}: the launcher has no child process; is the server its child?");
        }

        return (ms, result.GetProperty("tools").GetArrayLength(), ProcStatus.Read(server).Rss, process.Memory().Rss);
    }
}
