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
    public sealed record Row(string Tool, string Scenario, int Items, double ColdMs, double FirstPageMs, int FirstPageBytes, double BytesPerItem, int Pages);

    /// <summary>Sizes the sandbox is started with: the <c>prod</c> EKS cluster holds <c>eks.pods</c> pods, <c>dev</c> 10.</summary>
    private static readonly string[] SandboxArgs = ["--sandbox", "--size", "eks.pods=2000", "--size", "ec2.instances=10000", "--state", "none"];

    /// <summary>The cases: tool, label, arguments.</summary>
    private static readonly (string Tool, string Scenario, JsonObject Args)[] Cases =
    [
        ("eks_pod_list", "10 pods (eks:dev)", new JsonObject { ["cluster_id"] = "eks:dev" }),
        ("eks_pod_list", "2,000 pods (eks:prod)", new JsonObject { ["cluster_id"] = "eks:prod" }),
        ("ec2_instance_list", "10,000 instances", new JsonObject()),
    ];

    /// <summary>Every case against one sandbox; memory is that server's, idle and after paging through everything.</summary>
    public static async Task<(List<Row> Rows, double IdleRss, double PeakRss)> MeasureAsync(ServerCommand server, int runs)
    {
        await using var process = StdioServer.Start(server, SandboxArgs);
        await process.InitializeAsync();
        await Task.Delay(1000);
        var idle = process.Memory().Rss;
        var rows = new List<Row>();
        foreach (var (tool, scenario, args) in Cases)
        {
            rows.Add(await MeasureAsync(process, tool, scenario, args, runs));
        }

        return (rows, idle, process.Memory().Peak);
    }

    private static async Task<Row> MeasureAsync(StdioServer process, string tool, string scenario, JsonObject args, int runs)
    {
        var cold = Stopwatch.StartNew();
        var (first, firstError) = await process.CallAsync(tool, (JsonObject)args.DeepClone());
        var coldMs = cold.Elapsed.TotalMilliseconds;
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

        var (items, bytes, pages) = await PageThroughAsync(process, tool, args);
        return new Row(tool, scenario, items, coldMs, Stats.Median(times), Encoding.UTF8.GetByteCount(first), (double)bytes / Math.Max(1, items), pages);
    }

    private static async Task<(int Items, long Bytes, int Pages)> PageThroughAsync(StdioServer process, string tool, JsonObject baseArgs)
    {
        long bytes = 0;
        var pages = 0;
        var items = 0;
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
            var shown = ShownPattern().Match(text);
            var whole = shown.Success ? null : WholeListPattern().Match(text);
            items += int.Parse(shown.Success ? shown.Groups[1].Value : whole!.Success ? whole.Groups[1].Value : "0", CultureInfo.InvariantCulture);
            pages++;
            var match = CursorPattern().Match(text);
            cursor = match.Success ? match.Groups[1].Value : null;
        }
        while (cursor is not null && pages < 1000);

        return (items, bytes, pages);
    }

    [GeneratedRegex(@"cursor=(\S+)")]
    private static partial Regex CursorPattern();

    /// <summary>The page footer's item count: <c>50 of 2000 shown</c>, <c>500 shown</c>.</summary>
    [GeneratedRegex(@"(\d+)(?: of \d+)? shown")]
    private static partial Regex ShownPattern();

    /// <summary>A list that fits one page has no footer; its first line gives the count (<c>pods of eks:dev (all namespaces): 10; …</c>).</summary>
    [GeneratedRegex(@"\A[^\n]*?: (\d+)")]
    private static partial Regex WholeListPattern();
}
