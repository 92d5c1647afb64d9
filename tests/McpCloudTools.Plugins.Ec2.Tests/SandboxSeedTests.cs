using System.Diagnostics;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using McpCloudTools.Sandbox;
using McpCloudTools.Sandbox.Services.Ec2;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>The sandbox's EC2 fleet for benchmarks: sized by ec2.instances and the same for the same seed.</summary>
public sealed class SandboxSeedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TenThousandInstances_AreTheSameForTheSameSeedAndOtherwiseDifferent()
    {
        var watch = Stopwatch.StartNew();
        await using var first = await StartAsync(10_000, seed: 42);
        output.WriteLine($"sandbox with 10,000 instances started in {watch.ElapsedMilliseconds} ms (timing is reported, not asserted)");
        await using var again = await StartAsync(10_000, seed: 42);
        await using var other = await StartAsync(10_000, seed: 7);

        var a = await FirstPageAsync(first);
        var b = await FirstPageAsync(again);
        var c = await FirstPageAsync(other);

        first.Service<Ec2Service>().Summary()["instances"].Should().Be(10_000);
        a.Should().HaveCount(1000).And.Equal(b);
        c.Should().NotIntersectWith(a);
        a.Select(i => i.Split(' ')[1]).Should().Contain(n => n.StartsWith("search-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptyScenario_HasNoEc2Resources()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { Scenario = SandboxScenario.Empty }, NullLoggerFactory.Instance, CancellationToken.None);

        host.Service<Ec2Service>().Summary().Should().Contain("instances", 0).And.Contain("vpcs", 0).And.Contain("securityGroups", 0);
    }

    private static Task<SandboxHost> StartAsync(int instances, int seed) => SandboxHost.StartAsync(new SandboxOptions
    {
        Scenario = SandboxScenario.Default.WithSize("ec2.instances", instances) with { Seed = seed },
    }, NullLoggerFactory.Instance, CancellationToken.None);

    // "id name private-ip" of the first thousand instances, as AWSSDK.EC2 reads them.
    private static async Task<List<string>> FirstPageAsync(SandboxHost host)
    {
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"),
            new AmazonEC2Config { ServiceURL = host.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 1000 });
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])
            .Select(i => $"{i.InstanceId} {i.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value ?? "-"} {i.PrivateIpAddress ?? "-"}")];
    }
}
