using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed class PodListTests
{
    [Fact]
    public async Task PodList_PutsUnhealthyPodsFirstWithTheRealReasons()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging" });
        var lines = text.Split('\n');
        lines[0].Should().Be("pods of eks:staging (all namespaces): 24; unhealthy 14 (CrashLoopBackOff 2, CrashLoopBackOff(OOMKilled) 2, Evicted 2, "
            + "ImagePullBackOff 2, CreateContainerConfigError 1, ErrImagePull 1, NotReady 1, OOMKilled 1, Pending 1, Terminating 1); Running 9, Completed 1");
        text.Should().MatchRegex(@"api-\w+-\w+\s+1/2\s+CrashLoopBackOff\s+\d+\s+\S+\s+\S+\s+last: Error exit 1");
        text.Should().MatchRegex(@"ledger-\w+-\w+\s+0/1\s+CrashLoopBackOff\(OOMKilled\)");
        text.Should().MatchRegex(@"gateway-\w+-\w+\s+0/1\s+ImagePullBackOff");
        text.Should().MatchRegex(@"fraud-check-\w+-\w+\s+0/1\s+ErrImagePull");
        text.Should().MatchRegex(@"ml-trainer-\w+-\w+\s+0/1\s+Pending\s+0\s+\S+\s+-\s+Unschedulable: 0/3 nodes are available: 3 Insufficient memory\.");
        text.Should().MatchRegex(@"cache-warmer-\w+-\w+\s+0/1\s+Evicted\s+0\s+\S+\s+\S+\s+The node was low on resource: ephemeral-storage");
        text.Should().MatchRegex(@"frontend-canary-\w+-\w+\s+0/1\s+NotReady");
        text.Should().MatchRegex(@"session-drainer-\w+-\w+\s+1/1\s+Terminating");
        text.Should().MatchRegex(@"report-nightly-\w+\s+0/1\s+OOMKilled");
        text.Should().MatchRegex(@"notifier-\w+-\w+\s+0/1\s+CreateContainerConfigError");
        // Every unhealthy row comes before the first healthy one.
        var healthy = lines.Skip(1).Where(l => !l.StartsWith("ns ", StringComparison.Ordinal) && !l.StartsWith("NAME", StringComparison.Ordinal) && !l.StartsWith('('))
            .Select(l => l.Contains(" Running ", StringComparison.Ordinal) || l.Contains(" Completed ", StringComparison.Ordinal)).ToList();
        healthy.Should().HaveCount(24);
        healthy.Should().BeInAscendingOrder();
    }
}
