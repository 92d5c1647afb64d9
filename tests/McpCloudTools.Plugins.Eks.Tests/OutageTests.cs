using System.Net.Http.Json;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>
/// The EKS control plane fails (the sandbox's fault injection on the eks service) while the clusters' Kubernetes API
/// servers answer: clusters already known keep working, including ones not connected to before the outage.
/// </summary>
public sealed class OutageTests
{
    [Fact]
    public async Task DuringAnEksOutage_KnownClustersKeepWorking_AfterAFailedRediscovery()
    {
        await using var h = await EksHarness.StartAsync();
        (await h.TextAsync("clusters_list", new { plugin_type = "eks" })).Should().Contain("eks:dev").And.Contain("eks:staging");
        (await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging" })).Should().StartWith("pods of eks:staging");
        using var http = new HttpClient();
        using (var fault = await http.PostAsJsonAsync(new Uri(h.Sandbox.Endpoint, "/_sandbox/faults"), new { service = "eks", errorRate = 1.0 }))
        {
            fault.IsSuccessStatusCode.Should().BeTrue(await fault.Content.ReadAsStringAsync());
        }

        var rediscovery = await h.TextAsync("clusters_list", new { plugin_type = "eks", refresh = true });
        var connected = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:staging" });
        var notConnectedBefore = await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });
        var controlPlane = await h.ErrorAsync("eks_cluster_describe", new { cluster_id = "eks:dev" });

        rediscovery.Should().Contain("eks: discovery failed").And.Contain("eks:staging", "what was known stays known");
        connected.Should().StartWith("pods of eks:staging", "the cluster's own API answers");
        notConnectedBefore.Should().StartWith("nodes of eks:dev: 2", "its endpoint and CA were learnt at discovery");
        controlPlane.Should().Contain("eks DescribeCluster failed on the AWS side", "tools that need the EKS API say it is down");
    }
}

/// <summary>A slow EKS control plane (the sandbox's latency fault) does not hold up a cluster whose endpoint and CA are known.</summary>
public sealed class SlowControlPlaneTests
{
    [Fact]
    public async Task WithASlowEksApi_AKnownClusterConnectsWithItsLastEndpoint_WithoutWaitingForIt()
    {
        await using var h = await EksHarness.StartAsync();
        await h.TextAsync("clusters_list", new { plugin_type = "eks" });
        using var http = new HttpClient();
        using (var fault = await http.PostAsJsonAsync(new Uri(h.Sandbox.Endpoint, "/_sandbox/faults"), new { service = "eks", latencyMs = 60_000 }))
        {
            fault.IsSuccessStatusCode.Should().BeTrue(await fault.Content.ReadAsStringAsync());
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var nodes = await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });

        nodes.Should().StartWith("nodes of eks:dev: 2");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "DescribeCluster gets a short budget when a fallback is at hand, not the 60 s latency");
    }
}
