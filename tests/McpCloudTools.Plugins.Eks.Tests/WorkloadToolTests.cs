using System.Text;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed class WorkloadToolTests
{
    private static async Task<string> PodNameAsync(SandboxHarness h, string ns, string app) =>
        (await h.Eks().KubeApiAsync("staging", CancellationToken.None)) is not null
            ? h.Eks().Clusters["staging"].Kube.Pods().First(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Labels["app"] == app).Metadata.Name
            : "";

    [Fact]
    public async Task PodDescribe_ShowsStatesExitCodesAndEvents_WithSecretsRedacted()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = await PodNameAsync(h, "web", "api");
        var text = await h.TextAsync("eks_pod_describe", new { cluster_id = "eks:staging", @namespace = "web", pod });
        text.Should().Contain($"pod web/{pod} on eks:staging: CrashLoopBackOff, ready 1/2");
        text.Should().Contain("state: waiting CrashLoopBackOff: back-off 5m0s restarting failed container=app");
        text.Should().MatchRegex("last state: terminated Error exit 1, .* ago after 6s");
        text.Should().Contain("API_KEY=<secret api-credentials/api-key>").And.Contain("LOG_LEVEL=info");
        text.Should().Contain("DATABASE_URL=[redacted]").And.Contain("STRIPE_SECRET_KEY=[redacted]");
        text.Should().NotContain("S3cr3t").And.NotContain("sk_live");
        text.Should().Contain("Warning BackOff").And.Contain("conditions: Initialized, Ready=False(ContainersNotReady)");
    }

    [Fact]
    public async Task PodDescribe_WithSensitiveDataAllowed_ShowsTheLiteralValues()
    {
        await using var h = await EksHarness.StartAsync(allowSensitive: true);
        var pod = await PodNameAsync(h, "web", "api");
        var text = await h.TextAsync("eks_pod_describe", new { cluster_id = "eks:staging", @namespace = "web", pod });
        text.Should().Contain("DATABASE_URL=postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/app");
        text.Should().Contain("API_KEY=<secret api-credentials/api-key>", "secret references stay references: their values are never read");
    }

    [Fact]
    public async Task PodLogs_TailsTheDefaultContainer_RedactsCredentials_AndReadsThePreviousInstance()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = await PodNameAsync(h, "web", "api");
        var text = await h.TextAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = "web", pod, tail_lines = 5 });
        text.Should().StartWith($"logs of web/{pod} container app (default of containers app, envoy; pass container for another): 5 lines");
        text.Should().EndWith("panic: config: missing required setting PAYMENTS_ENDPOINT");
        var previous = await h.TextAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = "web", pod, previous = true, tail_lines = 1000 });
        previous.Should().Contain("previous instance").And.Contain("postgres://app:[redacted]@db.internal");
        previous.Should().NotContain("S3cr3t");
        var capped = await h.TextAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = "web", pod, tail_lines = 1000, max_bytes = 300 });
        capped.Should().Contain("cut at max_bytes 300");
        Encoding.UTF8.GetByteCount(capped[(capped.IndexOf('\n') + 1)..]).Should().BeLessThanOrEqualTo(300);
    }

    [Fact]
    public async Task PodLogs_OfAContainerThatNeverStarted_SaysWhy()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = await PodNameAsync(h, "payments", "gateway");
        var text = await h.ErrorAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = "payments", pod });
        text.Should().Contain("has never started, so it has no logs: it is waiting in ImagePullBackOff").And.Contain("eks_pod_describe");
    }

    [Fact]
    public async Task PodDescribe_UnknownPod_NamesTheNamespaceAndWhatToTry()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.ErrorAsync("eks_pod_describe", new { cluster_id = "eks:staging", @namespace = "default", pod = "nope" });
        text.Should().Contain("pod default/nope not found in eks:staging").And.Contain("eks_pod_list namespace=default")
            .And.Contain("without namespace the pod is looked up in every namespace");
    }

    [Fact]
    public async Task EventList_PutsWarningsFirstWithCountsByReason()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_event_list", new { cluster_id = "eks:staging", limit = 100 });
        var lines = text.Split('\n');
        lines[0].Should().MatchRegex(@"^events of eks:staging \(all namespaces\): \d+; warnings 15 \(Failed 7, BackOff 4, Evicted 2, FailedScheduling 1, Unhealthy 1\)$");
        var types = lines.Skip(2).TakeWhile(l => !l.Contains("shown", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        types.Should().Contain("Normal");
        types.IndexOf("Normal").Should().BeGreaterThan(types.LastIndexOf("Warning"));
        (await h.TextAsync("eks_event_list", new { cluster_id = "eks:staging", @namespace = "batch" }))
            .Should().StartWith("events of eks:staging (namespace batch): 3; warnings 1 (FailedScheduling 1)");
    }

    [Fact]
    public async Task DeploymentList_PutsNotFullyReadyFirst()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_deployment_list", new { cluster_id = "eks:staging" });
        var lines = text.Split('\n');
        lines[0].Should().Be("deployments of eks:staging (all namespaces): 11; not fully ready 7");
        lines[2].Should().MatchRegex(@"^batch\s+ml-trainer\s+0/1").And.Contain("Available: MinimumReplicasUnavailable");
        lines[^1].Should().MatchRegex(@"^web\s+frontend\s+3/3");
    }

    [Fact]
    public async Task NodeList_ShowsReadinessCapacityAndGroup_NotReadyFirst()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_node_list", new { cluster_id = "eks:prod" });
        var lines = text.Split('\n');
        lines[0].Should().Be("nodes of eks:prod: 5; not ready 1; under pressure 0");
        lines[1].Should().Be("(node names end in .ec2.internal; cpu/memory/pods: allocatable/capacity)");
        lines[3].Should().Contain("NotReady(NodeStatusUnknown)").And.Contain("spot-batch").And.Contain("m5.xlarge/spot");
        lines[4].Should().MatchRegex(@"Ready\s+v1\.31\.2-eks-7f9249a\s+1930m/2\s+7045Mi/7949Mi\s+29/29\s+general\s+m6i\.large");
    }

    [Fact]
    public async Task NamespaceList_PagesWithItsOwnCursor()
    {
        await using var h = await EksHarness.StartAsync();
        var first = await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:staging", limit = 4 });
        first.Should().StartWith("namespaces of eks:staging: 7").And.Contain("4 of 7 shown; next page: cursor=");
        var cursor = first[(first.IndexOf("cursor=", StringComparison.Ordinal) + 7)..].Trim();
        (await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:staging", limit = 4, cursor })).Should().Contain("3 shown; end of list (7 in all)");
    }

    [Fact]
    public async Task PodList_FiltersByNamespaceAndSetBasedSelectors()
    {
        await using var h = await EksHarness.StartAsync();
        (await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging", @namespace = "payments", label_selector = "app notin (ledger,gateway)" }))
            .Should().StartWith("pods of eks:staging (namespace payments, app notin (ledger,gateway)): 2;");
        (await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging", label_selector = "app!=frontend,!job" }))
            .Should().StartWith("pods of eks:staging (all namespaces, app!=frontend,!job): 21;");
    }
}
