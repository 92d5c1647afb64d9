using System.Diagnostics;
using System.Globalization;

namespace McpCloudTools.Bench;

/// <summary>
/// What the per-call audit line costs (issue 18: at most 10 %): the same server and tool at <see cref="Clients"/>
/// clients, once without an audit trail and once with <c>--audit-log FILE</c> (a JSON line per call), in interleaved
/// rounds. Each round's pair ran back to back, so its ratio is free of the machine's drift between rounds (which, on
/// a shared 2-core machine, is larger than the effect: ±15 % from round to round); the cost is the median of the
/// rounds' ratios.
/// </summary>
internal static class AuditCost
{
    public const int Clients = 16;
    public const int Rounds = 5;
    public const double MaxCost = 0.10;
    private const string Tool = "plugins_list";

    public static async Task<List<string>> MeasureAsync(string label, string path, DirectoryInfo work, int seconds, Action<string> progress, List<LoadMonitor> loads)
    {
        var auditFile = Path.Combine(work.FullName, "audit.jsonl");
        var server = ServerCommand.Ours(label, path);
        string[] common = ["--transport", "http", "--state", "none", "--log-level", "Warning"];
        var off = new WrkHttp.Target("audit off", port => Start(server, [.. common, "--urls", Url(port)]), Tool);
        var on = new WrkHttp.Target("audit on (--audit-log FILE)", port => Start(server, [.. common, "--urls", Url(port), "--audit-log", auditFile]), Tool);
        var load = new LoadMonitor("audit cost");
        loads.Add(load);
        var rows = await WrkHttp.MeasureAsync([off, on], Enumerable.Repeat(Clients, Rounds).ToList(), seconds, load, progress);
        var lines = File.Exists(auditFile) ? File.ReadLines(auditFile).Count() : 0;
        var report = new List<string>
        {
            $"### Cost of the audit trail: {label}, {Tool}, {Clients} clients, audit off and on (`--audit-log FILE`, a JSON line per call) in {Rounds} interleaved rounds",
            "",
        };
        report.AddRange(Render(rows, lines));
        report.Add("");
        report.Add(load.Summary());
        return report;
    }

    /// <summary>The rounds, then each round's ratio, their median and the issue's target.</summary>
    public static IEnumerable<string> Render(IReadOnlyList<WrkHttp.Row> rows, int auditLines)
    {
        foreach (var line in WrkHttp.Render(rows))
        {
            yield return line;
        }

        var off = rows.Where(r => r.Label.StartsWith("audit off", StringComparison.Ordinal)).Select(r => r.PerSecond).ToList();
        var on = rows.Where(r => r.Label.StartsWith("audit on", StringComparison.Ordinal)).Select(r => r.PerSecond).ToList();
        if (off.Count == 0 || on.Count == 0)
        {
            yield break;
        }

        var ratios = off.Zip(on, (o, a) => a / o).ToList();
        var ratio = Stats.Median(ratios);
        var audited = rows.Where(r => r.Label.StartsWith("audit on", StringComparison.Ordinal)).Sum(r => r.Requests);
        yield return "";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Audit on / off, calls/s per round: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; " +
            $"median {ratio:0.00} (cost {(1 - ratio) * 100:0.0} %); " +
            $"target cost ≤ {MaxCost * 100:0} %: {(1 - ratio <= MaxCost ? "met" : "MISSED")}. " +
            $"The audit file holds {auditLines} lines for {audited} measured calls (plus the warm-up).");
    }

    private static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    private static ProcessStartInfo Start(ServerCommand server, string[] args)
    {
        var psi = server.StartInfo(args);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        return psi;
    }
}
