using System.Text.Json;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// The emulated API server's list contract, read by kubectl: <c>limit</c> pages with a <c>continue</c> token name the
/// last key served, follow one another in key order (namespace, then name) without gaps or repeats, within a
/// namespace or across all, with or without a selector, and <c>remainingItemCount</c> counts what is left.
/// </summary>
public sealed class KubeListPagingTests(KubectlSandbox sandbox) : IClassFixture<KubectlSandbox>
{
    private static readonly string[] Columns = ["-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name", "--no-headers"];

    [Theory]
    [InlineData("pods", "-A")]
    [InlineData("pods", "-n", "default")]
    [InlineData("events", "-A")]
    [InlineData("deployments", "-A")]
    [InlineData("nodes")]
    public async Task ChunkedLists_EqualTheWholeList(string resource, params string[] scope)
    {
        var whole = Lines(await sandbox.Kubectl.RunAsync(["get", resource, .. scope, "--chunk-size=0", .. Columns]));
        var chunked = Lines(await sandbox.Kubectl.RunAsync(["get", resource, .. scope, "--chunk-size=2", .. Columns]));

        whole.Should().HaveCountGreaterThan(2, "a list of more than one page");
        chunked.Should().Equal(whole);
        whole.Should().BeInAscendingOrder(StringComparer.Ordinal, "the API server lists in key order");
    }

    [Fact]
    public async Task ChunkedList_WithALabelSelector_EqualsTheWholeSelection()
    {
        var app = sandbox.Host.Service<Services.Eks.EksService>().Clusters["staging"].Kube.Pods()
            .GroupBy(p => p.Metadata.Labels["app"]).First(g => g.Count() >= 2).Key;
        var whole = Lines(await sandbox.Kubectl.RunAsync(["get", "pods", "-A", "-l", "app=" + app, "--chunk-size=0", .. Columns]));
        var chunked = Lines(await sandbox.Kubectl.RunAsync(["get", "pods", "-A", "-l", "app=" + app, "--chunk-size=1", .. Columns]));

        whole.Should().HaveCountGreaterThanOrEqualTo(2);
        chunked.Should().Equal(whole);
    }

    [Fact]
    public async Task ContinueTokens_WalkEveryPodOnce_AndRemainingItemCountCountsTheRest()
    {
        var total = sandbox.Host.Service<Services.Eks.EksService>().Clusters["staging"].Kube.Pods().Count;
        var seen = new List<string>();
        string? next = null;
        do
        {
            var raw = await sandbox.Kubectl.RunAsync("get", "--raw", "/api/v1/pods?limit=3" + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next)));
            using var page = JsonDocument.Parse(raw);
            var items = page.RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + i.GetProperty("metadata").GetProperty("name").GetString()).ToList();
            seen.AddRange(items);
            var meta = page.RootElement.GetProperty("metadata");
            next = meta.TryGetProperty("continue", out var c) && c.GetString() is { Length: > 0 } token ? token : null;
            if (next is not null)
            {
                meta.GetProperty("remainingItemCount").GetInt32().Should().Be(total - seen.Count);
            }
        }
        while (next is not null);

        seen.Should().HaveCount(total).And.OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    private static List<string> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => string.Join('/', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))];
}
