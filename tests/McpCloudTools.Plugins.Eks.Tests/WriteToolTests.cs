using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed class WriteToolTests
{
    private static readonly string[] WriteTools = ["eks_deployment_restart", "eks_deployment_scale", "eks_nodegroup_scale", "eks_pod_delete"];

    [Fact]
    public async Task WriteTools_AreHiddenAndRefused_WithoutAllowWrite()
    {
        await using var h = await EksHarness.StartAsync();
        var names = await h.Mcp.ToolNamesAsync();
        names.Should().Contain("eks_pod_list").And.NotContain(WriteTools);
        foreach (var tool in WriteTools)
            (await h.ErrorAsync(tool, new { pod = "x", deployment = "x", nodegroup = "x", replicas = 1, desired = 1 })).Should().Contain("--allow-write");
        h.Eks().Clusters["staging"].Nodegroups["default"].Wire.ScalingConfig!.DesiredSize.Should().Be(3);
    }

    [Fact]
    public async Task DeploymentScale_ChangesReplicasAndPods()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var text = await h.TextAsync("eks_deployment_scale", new { cluster_id = "eks:staging", @namespace = "web", deployment = "frontend", replicas = 5 });
        text.Should().StartWith("scaled deployment web/frontend on eks:staging: replicas 3→5 (now 5 pods)");
        (await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging", @namespace = "web", label_selector = "app=frontend" })).Should().Contain("): 5;");
        (await h.ErrorAsync("eks_deployment_scale", new { cluster_id = "eks:staging", @namespace = "web", deployment = "nope", replicas = 1 }))
            .Should().Contain("deployment web/nope not found");
    }

    [Fact]
    public async Task DeploymentRestart_ReplacesEveryPod()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var kube = h.Eks().Clusters["staging"].Kube;
        var before = kube.Pods().Where(p => p.Metadata.Labels["app"] == "frontend").Select(p => p.Metadata.Name).ToList();
        var text = await h.TextAsync("eks_deployment_restart", new { cluster_id = "eks:staging", @namespace = "web", deployment = "frontend" });
        text.Should().Contain("restarted deployment web/frontend").And.Contain("label_selector=app=frontend");
        var after = kube.Pods().Where(p => p.Metadata.Labels["app"] == "frontend").Select(p => p.Metadata.Name).ToList();
        after.Should().HaveCount(3).And.NotIntersectWith(before);
        kube.FindDeployment("web", "frontend")!.Deployment!.Spec.Template.Metadata.Annotations.Should().ContainKey("kubectl.kubernetes.io/restartedAt");
    }

    [Fact]
    public async Task PodDelete_SaysTheControllerReplacesIt()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var kube = h.Eks().Clusters["staging"].Kube;
        var pod = kube.Pods().First(p => p.Metadata.Labels["app"] == "api").Metadata.Name;
        var text = await h.TextAsync("eks_pod_delete", new { cluster_id = "eks:staging", @namespace = "web", pod });
        text.Should().Contain($"deleted pod web/{pod}").And.Contain("creates a replacement");
        kube.FindPod("web", pod).Should().BeNull();
        kube.Pods().Count(p => p.Metadata.Labels["app"] == "api").Should().Be(2);
    }
}
