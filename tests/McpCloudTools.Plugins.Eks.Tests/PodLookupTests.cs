using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary><c>eks_pod_describe</c> and <c>eks_pod_logs</c> without a namespace find the pod by its name across namespaces.</summary>
public sealed class PodLookupTests
{
    private static string PodOf(SandboxHarness h, string ns, string app) =>
        h.Eks().Clusters["staging"].Kube.Pods().First(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Labels["app"] == app).Metadata.Name;

    private static List<SandboxRequestRecord> KubeRequestsSince(SandboxHarness h, long start) =>
        [.. h.Sandbox.Requests.Since(start).Where(r => r.Service.StartsWith("kube:", StringComparison.Ordinal))];

    [Fact]
    public async Task PodDescribe_WithoutNamespace_FindsAUniquePodInAnotherNamespace_InOneRequest_AndSaysWhere()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = PodOf(h, "web", "api");
        await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:staging" }); // the connection is warm: only the lookup is counted below
        var start = h.Sandbox.Requests.Last;
        var text = await h.TextAsync("eks_pod_describe", new { cluster_id = "eks:staging", pod });
        text.Split('\n')[0].Should().StartWith($"pod web/{pod} on eks:staging (found in namespace web): CrashLoopBackOff, ready 1/2");
        var pods = KubeRequestsSince(h, start).Where(r => r.RawTarget.Contains("/pods", StringComparison.Ordinal)).ToList();
        pods.Should().ContainSingle("one request finds the pod, whatever the number of namespaces");
        pods[0].RawTarget.Should().StartWith("/api/v1/pods?").And.Contain("fieldSelector=metadata.name%3D" + pod);
    }

    [Fact]
    public async Task PodLogs_WithoutNamespace_ReadsTheUniquePodsLog_AndSaysWhere()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = PodOf(h, "kube-system", "coredns");
        var text = await h.TextAsync("eks_pod_logs", new { cluster_id = "eks:staging", pod, tail_lines = 3 });
        text.Split('\n')[0].Should().StartWith($"logs of kube-system/{pod} (found in namespace kube-system) container ");
        text.Split('\n').Should().HaveCount(4, "the header, then the 3 lines asked for");
    }

    [Fact]
    public async Task PodDescribeAndLogs_WithoutNamespace_WhenTheNameIsInSeveralNamespaces_ListCandidatesAndAskForTheNamespace()
    {
        await using var h = await EksHarness.StartAsync();
        var kube = h.Eks().Clusters["staging"].Kube;
        kube.RunPod("web", "toolbox", "public.ecr.aws/docker/library/busybox:1.36");
        kube.RunPod("payments", "toolbox", "public.ecr.aws/docker/library/busybox:1.36");
        foreach (var tool in new[] { "eks_pod_describe", "eks_pod_logs" })
        {
            var text = await h.ErrorAsync(tool, new { cluster_id = "eks:staging", pod = "toolbox" });
            text.Should().Contain("2 pods are named toolbox in eks:staging: payments/toolbox, web/toolbox", tool)
                .And.Contain("Pass namespace to choose one (e.g. namespace=payments)");
        }
        // Given the namespace, each is found.
        (await h.TextAsync("eks_pod_describe", new { cluster_id = "eks:staging", pod = "toolbox", @namespace = "web" }))
            .Should().StartWith("pod web/toolbox on eks:staging: Running");
    }

    [Fact]
    public async Task PodDescribe_WithoutNamespace_UnknownPod_PointsAtThePodsOfTheSameReplicaSet()
    {
        await using var h = await EksHarness.StartAsync();
        var pod = PodOf(h, "web", "frontend"); // frontend-<hash>-<suffix>; frontend-canary-… shares only "frontend-"
        var replicaSet = pod[..(pod.LastIndexOf('-') + 1)];
        var siblings = h.Eks().Clusters["staging"].Kube.Pods().Where(p => p.Metadata.Name.StartsWith(replicaSet, StringComparison.Ordinal))
            .Select(p => "web/" + p.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        siblings.Should().HaveCount(3);
        var text = await h.ErrorAsync("eks_pod_describe", new { cluster_id = "eks:staging", pod = replicaSet + "zzzzz" });
        text.Should().Contain($"No pod is named {replicaSet}zzzzz in any namespace of eks:staging.")
            .And.Contain("Similar names: " + string.Join(", ", siblings) + ";")
            .And.Contain("eks_pod_list lists the pods");
        text.Should().NotContain("frontend-canary", "pods of the same ReplicaSet are closer than those of a workload sharing only the first word");

        var logs = await h.ErrorAsync("eks_pod_logs", new { cluster_id = "eks:staging", pod = "frontend-canary-0000000000-zzzzz" });
        logs.Should().MatchRegex(@"Similar names: web/frontend-canary-[a-z0-9]+-[a-z0-9]+;");

        var nothing = await h.ErrorAsync("eks_pod_describe", new { cluster_id = "eks:staging", pod = "qqq-1" });
        nothing.Should().Contain("No pod is named qqq-1 in any namespace of eks:staging. No pod name shares its prefix either; eks_pod_list lists the pods");
    }

    [Fact]
    public async Task PodDescribe_WithoutNamespace_RefusesAHostileNameBeforeAnyRequest()
    {
        await using var h = await EksHarness.StartAsync();
        await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:staging" });
        var start = h.Sandbox.Requests.Last;
        var text = await h.ErrorAsync("eks_pod_describe", new { cluster_id = "eks:staging", pod = "web,metadata.namespace=kube-system" });
        text.Should().StartWith("Invalid pod 'web,metadata.namespace=kube-system': it contains ','").And.Contain("A pod name is");
        KubeRequestsSince(h, start).Should().BeEmpty();
    }
}
