using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed partial class ScaleAndBudgetTests
{
    [Fact]
    public async Task PodList_PagesOverFiveThousandPods_EachSeenOnce_WithinTheByteBudget()
    {
        await using var h = await EksHarness.StartAsync(pods: 5000);
        var first = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:prod" });
        Encoding.UTF8.GetByteCount(first).Should().BeLessThanOrEqualTo(8 * 1024, "the first page must fit 8 KB");
        first.Should().MatchRegex(@"^pods of eks:prod \(all namespaces\): 5000; unhealthy \d+ \(");

        var seen = new List<string>();
        var bytes = 0;
        string? cursor = null;
        var pages = 0;
        do
        {
            var text = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:prod", limit = 500, cursor });
            bytes += Encoding.UTF8.GetByteCount(text);
            seen.AddRange(text.Split('\n').Where(IsRow).Select(l => l.Split(' ')[0]));
            cursor = Cursor().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
            pages++;
        }
        while (cursor is not null);

        pages.Should().Be(10);
        seen.Should().HaveCount(5000).And.OnlyHaveUniqueItems();
        seen.Should().BeEquivalentTo(h.Eks().Clusters["prod"].Kube.Pods().Select(p => p.Metadata.Name));
        ((double)bytes / 5000).Should().BeLessThanOrEqualTo(100, "paging through everything costs at most 100 bytes per pod");
    }

    [Fact]
    public async Task PodList_FirstPageOfTwoThousandPods_TellsHowManyAreUnhealthyAndWhich()
    {
        await using var h = await EksHarness.StartAsync(pods: 2000);
        var text = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:prod" });
        Encoding.UTF8.GetByteCount(text).Should().BeLessThanOrEqualTo(8 * 1024);
        var unhealthy = h.Eks().Clusters["prod"].Kube.Pods().Count(p => McpCloudTools.Plugins.Eks.Services.PodStatus.Row(p).Unhealthy);
        unhealthy.Should().BeGreaterThan(0);
        text.Should().Contain($": 2000; unhealthy {unhealthy} (");
        text.Split('\n').Where(IsRow).Take(Math.Min(unhealthy, 50)).Should().OnlyContain(l => !l.Contains(" Running ", StringComparison.Ordinal) || l.Contains("NotReady", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToolsList_EveryToolStaysWithinTheToolBudget()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var tools = (await h.Mcp.Client.ListToolsAsync()).Where(t => t.Name.StartsWith("eks_", StringComparison.Ordinal)).ToList();
        tools.Should().HaveCount(16);
        var sizes = tools.ToDictionary(t => t.Name, t => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(t.ProtocolTool, ModelContextProtocol.McpJsonUtilities.DefaultOptions)));
        sizes.Should().OnlyContain(kv => kv.Value <= Core.Plugins.ToolBudget.MaxBytesPerTool, "each tool stays within the one per-tool budget");
    }

    private static bool IsRow(string line) =>
        line.Length > 0 && !line.StartsWith("ns ", StringComparison.Ordinal) && !line.StartsWith("NAME", StringComparison.Ordinal)
        && !line.StartsWith('(') && !line.StartsWith("pods of", StringComparison.Ordinal) && !line.Contains(" shown", StringComparison.Ordinal);

    [GeneratedRegex("cursor=(\\S+)")]
    private static partial Regex Cursor();
}
