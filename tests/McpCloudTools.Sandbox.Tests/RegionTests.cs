using McpCloudTools.Plugins.Ec2;
using McpCloudTools.Plugins.Eks;
using McpCloudTools.Plugins.Lambda;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using FluentAssertions;
using McpCloudTools.Core;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// The sandbox serves real per-region state: its default region (the full scenario) and a second, smaller one, each
/// with its own EC2, EKS, Lambda, Batch and Logs, chosen by the SigV4 credential scope; any other region is refused as
/// AWS refuses a scope its endpoint does not serve, naming the regions it serves.
/// </summary>
public sealed class RegionTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task AwsCli_EachRegionHasItsOwnAccount()
    {
        var endpoint = fixture.Host.Endpoint;

        var euZones = await AwsCli.RunAsync(endpoint, "ec2", "describe-availability-zones", "--region", "eu-west-1");
        var euInstances = await AwsCli.RunAsync(endpoint, "ec2", "describe-instances", "--region", "eu-west-1");
        var usInstances = await AwsCli.RunAsync(endpoint, "ec2", "describe-instances", "--region", "us-east-1");
        var euFunctions = await AwsCli.RunAsync(endpoint, "lambda", "list-functions", "--region", "eu-west-1");
        var usFunctions = await AwsCli.RunAsync(endpoint, "lambda", "list-functions", "--region", "us-east-1");
        var euClusters = await AwsCli.RunAsync(endpoint, "eks", "list-clusters", "--region", "eu-west-1");
        var euQueues = await AwsCli.RunAsync(endpoint, "batch", "describe-job-queues", "--region", "eu-west-1");
        var euGroups = await AwsCli.RunAsync(endpoint, "logs", "describe-log-groups", "--region", "eu-west-1");

        Zones(euZones).Should().OnlyContain(z => z.StartsWith("eu-west-1", StringComparison.Ordinal)).And.Contain("eu-west-1a");
        Instances(euInstances).Should().Be(6);
        Instances(usInstances).Should().Be(25);
        euInstances.Json.GetProperty("Reservations")[0].GetProperty("Instances")[0].GetProperty("Placement")
            .GetProperty("AvailabilityZone").GetString().Should().StartWith("eu-west-1");
        var functions = euFunctions.Json.GetProperty("Functions").EnumerateArray().ToList();
        functions.Select(f => f.GetProperty("FunctionName").GetString()).Should().Equal("orders-api", "thumbnail-worker");
        functions.Should().OnlyContain(f => f.GetProperty("FunctionArn").GetString()!.StartsWith("arn:aws:lambda:eu-west-1:123456789012:function:", StringComparison.Ordinal));
        usFunctions.Json.GetProperty("Functions").GetArrayLength().Should().Be(7);
        euClusters.Json.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()).Should().Equal("prod-eu");
        euQueues.Json.GetProperty("jobQueues").EnumerateArray().Select(q => q.GetProperty("jobQueueName").GetString()).Should().Equal("default-queue");
        euGroups.Json.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("arn").GetString())
            .Should().Contain("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod-eu/cluster:*");
    }

    [Theory]
    [InlineData("ec2", "describe-instances", "AuthFailure")]
    [InlineData("lambda", "list-functions", "InvalidSignatureException")]
    [InlineData("sts", "get-caller-identity", "SignatureDoesNotMatch")]
    [InlineData("logs", "describe-log-groups", "InvalidSignatureException")]
    public async Task AwsCli_AnotherRegion_IsRefusedAsAwsRefusesIt_NamingTheServedRegions(string service, string operation, string code)
    {
        var result = await AwsCli.RunAsync(fixture.Host.Endpoint, service, operation, "--region", "ap-south-1");

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain(code)
            .And.Contain("Credential should be scoped to a valid region, not 'ap-south-1'")
            .And.Contain("serves us-east-1 and eu-west-1");
    }

    [Fact]
    public async Task Mcp_InstancesConfiguredForTheSecondRegion_SeeItsState_AndAnUnservedRegionSaysWhichAreServed()
    {
        await using var h = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>().AddPlugin<LambdaPlugin>().AddPlugin<EksPlugin>());
        await h.Mcp.Instances.UpdateAsync("ec2", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        await h.Mcp.Instances.UpdateAsync("lambda", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        await h.Mcp.Instances.UpdateAsync("eks", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });

        var instances = (await h.CallAsync("ec2_instance_list")).Text();
        var subnets = (await h.CallAsync("ec2_subnet_list")).Text();
        var functions = (await h.CallAsync("lambda_function_list")).Text();
        var clusters = (await h.CallAsync("eks_cluster_list")).Text();

        instances.Should().StartWith("6 instances in eu-west-1");
        subnets.Should().Contain("az: eu-west-1+").And.NotContain("us-east-1");
        functions.Should().StartWith("functions: 2 ");
        clusters.Should().Contain("prod-eu").And.NotContain("staging");

        await h.Mcp.Instances.UpdateAsync("lambda", null, new Dictionary<string, string> { ["region"] = "ap-south-1" });
        var refused = await h.CallAsync("lambda_function_list");

        refused.IsError.Should().BeTrue();
        refused.Text().Should().Contain("not 'ap-south-1'").And.Contain("serves us-east-1 and eu-west-1")
            .And.NotContain("secret key does not match", "the keys are right; the region is what to change");
    }

    [Fact]
    public async Task DefaultRegionOption_PutsTheFullAccountThere_AndTheSmallerOneInUsEast1()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { Region = "eu-west-1" }, NullLoggerFactory.Instance, CancellationToken.None);

        var eu = await AwsCli.RunAsync(host.Endpoint, "lambda", "list-functions", "--region", "eu-west-1");
        var us = await AwsCli.RunAsync(host.Endpoint, "lambda", "list-functions", "--region", "us-east-1");

        host.Options.Regions.Should().Equal("eu-west-1", "us-east-1");
        eu.Json.GetProperty("Functions").GetArrayLength().Should().Be(7);
        us.Json.GetProperty("Functions").GetArrayLength().Should().Be(2);
        host.State().Regions.Keys.Should().BeEquivalentTo(["eu-west-1", "us-east-1"]);
    }

    private static IEnumerable<string> Zones(AwsCli.Result result) =>
        result.Json.GetProperty("AvailabilityZones").EnumerateArray().Select(z => z.GetProperty("ZoneName").GetString()!);

    private static int Instances(AwsCli.Result result) =>
        result.Json.GetProperty("Reservations").EnumerateArray().Sum(r => r.GetProperty("Instances").GetArrayLength());
}
