using Microsoft.Extensions.Logging.Abstractions;
using McpCloudTools.Sandbox.Services.Eks;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// With a fixed <c>--port</c>, every cluster's Kubernetes API keeps its endpoint (port + n) and its CA (derived from
/// the seed) across restarts: a kubeconfig written once by <c>aws eks update-kubeconfig</c> keeps working.
/// </summary>
public sealed class StableKubernetesEndpointTests
{
    [Fact]
    public async Task KubeconfigFromUpdateKubeconfig_StillWorksAfterARestartOnTheSamePort()
    {
        var port = Kubectl.FreePortRange();
        var options = new SandboxOptions { Port = port };
        string endpoint, ca;
        using var kubectl = new Kubectl(new Uri($"http://127.0.0.1:{port}"));
        await using (var first = await SandboxHost.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None))
        {
            var (code, output) = await kubectl.AwsAsync("eks", "update-kubeconfig", "--name", "staging", "--region", "us-east-1", "--kubeconfig", kubectl.KubeconfigPath);
            code.Should().Be(0, output);
            (await kubectl.RunAsync("get", "pods", "-n", "web")).Should().Contain("frontend-");
            (endpoint, ca) = await DescribeAsync(kubectl);
        }

        await using var second = await SandboxHost.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        (await kubectl.RunAsync("get", "pods", "-n", "web")).Should().Contain("frontend-", "the kubeconfig written before the restart still works");

        var (endpointAfter, caAfter) = await DescribeAsync(kubectl);
        endpointAfter.Should().Be(endpoint).And.Be($"https://127.0.0.1:{port + 3}", "clusters by name: dev, prod, staging take port + 1, + 2, + 3");
        caAfter.Should().Be(ca);
        second.Region("eu-west-1").Service<EksService>().Clusters.Keys.Should().Equal("prod-eu");
        (await second.Region("eu-west-1").Service<EksService>().KubeApiAsync("prod-eu", CancellationToken.None)).Endpoint.Port.Should().Be(port + 4);
    }

    [Fact]
    public async Task EachCluster_HasItsOwnCa_AndTheSameSeedGivesTheSameOne()
    {
        await using var a = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        await using var b = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        await using var other = await SandboxHost.StartAsync(new SandboxOptions { Scenario = SandboxScenario.Default with { Seed = 7 } },
            NullLoggerFactory.Instance, CancellationToken.None);

        async Task<string> Ca(SandboxHost host, string cluster) =>
            (await host.Service<EksService>().KubeApiAsync(cluster, CancellationToken.None)).Certificates.CaPem;

        (await Ca(a, "prod")).Should().Be(await Ca(b, "prod"));
        (await Ca(a, "prod")).Should().NotBe(await Ca(a, "staging"));
        (await Ca(a, "prod")).Should().NotBe(await Ca(other, "prod"));
    }

    private static async Task<(string Endpoint, string Ca)> DescribeAsync(Kubectl kubectl)
    {
        var (code, output) = await kubectl.AwsAsync("eks", "describe-cluster", "--name", "staging", "--region", "us-east-1", "--output", "json");
        code.Should().Be(0, output);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var cluster = json.RootElement.GetProperty("cluster");
        return (cluster.GetProperty("endpoint").GetString()!, cluster.GetProperty("certificateAuthority").GetProperty("data").GetString()!);
    }
}
