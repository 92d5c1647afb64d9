using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace McpCloudTools.Bench;

/// <summary>
/// List tools against the in-process sandbox: the first page (what an agent reads first) and the cost of paging
/// through everything, in bytes of tool text per item.
/// </summary>
internal static partial class ListBench
{
    public sealed record Row(string Tool, string Scenario, int Items, double FirstPageMs, int FirstPageBytes, double BytesPerItem, int Pages);

    /// <summary>Sizes the sandbox is started with.</summary>
    private static readonly string[] SandboxArgs = ["--sandbox", "--size", "eks.pods=2000", "--size", "ec2.instances=10000", "--state", "none"];

    /// <summary>The cases: tool, label, arguments. Cluster ids are the sandbox's default-scenario clusters.</summary>
    private static readonly (string Tool, string Scenario, JsonObject Args)[] Cases =
    [
        ("eks_pod_list", "10 pods", new JsonObject { ["cluster_id"] = BenchClusters.Small }),
        ("eks_pod_list", "2,000 pods", new JsonObject { ["cluster_id"] = BenchClusters.Large }),
        ("ec2_instance_list", "10,000 instances", new JsonObject()),
    ];

    public static async Task<(List<Row> Rows, double IdleRss, double PeakRss)> MeasureAsync(ServerCommand server, int runs)
    {
        await using var process = StdioServer.Start(server, SandboxArgs);
        await process.InitializeAsync();
        await Task.Delay(1000);
        var idle = process.Memory().Rss;
        var rows = new List<Row>();
        foreach (var (tool, scenario, args) in Cases)
        {
            var (first, firstError) = await process.CallAsync(tool, (JsonObject)args.DeepClone());
            if (firstError)
            {
                throw new InvalidOperationException($"{tool} ({scenario}) failed: {first}");
            }

            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                await process.CallAsync(tool, (JsonObject)args.DeepClone());
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            var total = Total(first);
            var (bytes, pages) = await PageThroughAsync(process, tool, args);
            rows.Add(new Row(tool, scenario, total, Stats.Median(times), Encoding.UTF8.GetByteCount(first), (double)bytes / Math.Max(1, total), pages));
        }

        return (rows, idle, process.Memory().Peak);
    }

    private static async Task<(long Bytes, int Pages)> PageThroughAsync(StdioServer process, string tool, JsonObject baseArgs)
    {
        long bytes = 0;
        var pages = 0;
        string? cursor = null;
        do
        {
            var args = (JsonObject)baseArgs.DeepClone();
            args["limit"] = 500;
            if (cursor is not null)
            {
                args["cursor"] = cursor;
            }

            var (text, error) = await process.CallAsync(tool, args);
            if (error)
            {
                throw new InvalidOperationException($"{tool} page {pages + 1} failed: {text}");
            }

            bytes += Encoding.UTF8.GetByteCount(text);
            pages++;
            var match = CursorPattern().Match(text);
            cursor = match.Success ? match.Groups[1].Value : null;
        }
        while (cursor is not null && pages < 1000);

        return (bytes, pages);
    }

    private static int Total(string firstPage)
    {
        var match = OfTotalPattern().Match(firstPage);
        return match.Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : firstPage.Split('\n').Length - 1;
    }

    [GeneratedRegex(@"cursor=(\S+)")]
    private static partial Regex CursorPattern();

    [GeneratedRegex(@"(\d+) of (\d+) shown")]
    private static partial Regex OfTotalPattern();
}

/// <summary>The sandbox clusters the benchmark lists pods of (default scenario, with --size eks.pods=2000).</summary>
internal static class BenchClusters
{
    public const string Small = "eks:prod";
    public const string Large = "eks:bench";
}
