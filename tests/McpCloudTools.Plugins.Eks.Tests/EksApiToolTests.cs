using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed class EksApiToolTests
{
    [Fact]
    public async Task ClusterList_ShowsEveryClusterWithVersionStatusAndEndpointAccess()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_cluster_list");
        text.Should().Contain("EKS clusters in us-east-1 (eks): 3");
        text.Should().MatchRegex(@"eks:prod\s+1\.31\s+ACTIVE\s+public\+private");
        text.Should().MatchRegex(@"eks:dev\s+1\.29\s+ACTIVE\s+private");
    }

    [Fact]
    public async Task ClusterDescribe_ShowsAccessLoggingAuthModeAndOidc()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_cluster_describe", new { cluster_id = "eks:prod" });
        text.Should().Contain("cluster prod (eks:prod): ACTIVE, Kubernetes 1.31 (eks.12), us-east-1");
        text.Should().Contain("endpoint: public+private (public from 203.0.113.0/24)");
        text.Should().Contain("authentication mode: API_AND_CONFIG_MAP");
        text.Should().Contain("control-plane logs: api, audit, authenticator");
        text.Should().Contain("oidc issuer: https://oidc.eks.us-east-1.amazonaws.com/id/");
    }

    [Fact]
    public async Task NodegroupList_PutsTheDegradedGroupFirstWithItsIssue()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_nodegroup_list", new { cluster_id = "eks:prod" });
        var lines = text.Split('\n');
        lines[0].Should().Be("node groups of eks:prod: 2, not ACTIVE 1");
        lines[2].Should().StartWith("spot-batch").And.Contain("DEGRADED").And.Contain("SPOT").And.Contain("AsgInstanceLaunchFailures");
        lines[3].Should().StartWith("general").And.Contain("ACTIVE");
    }

    [Fact]
    public async Task NodegroupDescribe_ShowsScalingTypesAndHealthIssues()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_nodegroup_describe", new { cluster_id = "eks:prod", nodegroup = "spot-batch" });
        text.Should().Contain("node group spot-batch of eks:prod: DEGRADED, SPOT");
        text.Should().Contain("instance types: m5.xlarge, m5a.xlarge");
        text.Should().Contain("health issues (1):").And.Contain("AsgInstanceLaunchFailures: Could not launch Spot Instances");
    }

    [Fact]
    public async Task NodegroupDescribe_UnknownName_SaysWhatToTry()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.ErrorAsync("eks_nodegroup_describe", new { cluster_id = "eks:prod", nodegroup = "nope" });
        text.Should().Contain("nope").And.Contain("eks_nodegroup_list");
    }

    [Fact]
    public async Task AddonList_PutsTheDegradedAddonFirst()
    {
        await using var h = await EksHarness.StartAsync();
        var text = await h.TextAsync("eks_addon_list", new { cluster_id = "eks:prod" });
        var lines = text.Split('\n');
        lines[0].Should().Be("add-ons of eks:prod: 4, not ACTIVE 1");
        lines[2].Should().StartWith("aws-ebs-csi-driver").And.Contain("DEGRADED").And.Contain("InsufficientNumberOfReplicas");
    }

    [Fact]
    public async Task NodegroupScale_ReportsTheUpdateAndItsOutcome()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var text = await h.TextAsync("eks_nodegroup_scale", new { cluster_id = "eks:staging", nodegroup = "default", desired = 4 });
        text.Should().Contain("node group default of eks:staging: desired 3→4");
        text.Should().MatchRegex(@"update [0-9a-f-]{36}: Successful");
        (await h.TextAsync("eks_nodegroup_describe", new { cluster_id = "eks:staging", nodegroup = "default" })).Should().Contain("scaling: desired 4, min 1, max 5");
    }

    [Fact]
    public async Task NodegroupScale_OutsideBounds_IsRefusedWithTheBounds()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var text = await h.ErrorAsync("eks_nodegroup_scale", new { cluster_id = "eks:staging", nodegroup = "default", desired = 9 });
        text.Should().Contain("desired 9 must lie within 0 and max 5. Pass max as well");
    }
}
