using System.Text.Json;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>The real AWS CLI (botocore) reads the sandbox's EC2 as it reads AWS.</summary>
public sealed class AwsCliTests(DefaultFleetFixture fixture) : IClassFixture<DefaultFleetFixture>
{
    [Fact]
    public async Task DescribeInstances_ParsesInstancesStatesTagsAndAddresses()
    {
        var (exit, stdout, stderr) = await AwsAsync("ec2", "describe-instances", "--filters", "Name=tag:Name,Values=bastion,db-1");

        exit.Should().Be(0, stderr);
        var instances = JsonDocument.Parse(stdout).RootElement.GetProperty("Reservations").EnumerateArray()
            .SelectMany(r => r.GetProperty("Instances").EnumerateArray()).ToList();
        instances.Should().HaveCount(2);
        var bastion = instances.Single(i => i.GetProperty("Tags").EnumerateArray().Any(t => t.GetProperty("Value").GetString() == "bastion"));
        bastion.GetProperty("State").GetProperty("Name").GetString().Should().Be("running");
        bastion.GetProperty("State").GetProperty("Code").GetInt32().Should().Be(16);
        bastion.GetProperty("PublicIpAddress").GetString().Should().MatchRegex(@"^\d+\.\d+\.\d+\.\d+$");
        bastion.GetProperty("Placement").GetProperty("AvailabilityZone").GetString().Should().Be("us-east-1a");
        bastion.GetProperty("LaunchTime").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
    }

    [Fact]
    public async Task DescribeInstances_CliPaginatorFollowsNextTokenThroughEveryPage()
    {
        var (exit, stdout, stderr) = await AwsAsync("ec2", "describe-instances", "--page-size", "5", "--filters", "Name=instance-state-name,Values=running,stopped");

        exit.Should().Be(0, stderr);
        var ids = JsonDocument.Parse(stdout).RootElement.GetProperty("Reservations").EnumerateArray()
            .SelectMany(r => r.GetProperty("Instances").EnumerateArray()).Select(i => i.GetProperty("InstanceId").GetString()).ToList();
        ids.Should().HaveCount(20).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Errors_ReachTheCliWithEc2sCodeAndMessage()
    {
        var (exit, _, stderr) = await AwsAsync("ec2", "describe-instances", "--instance-ids", "web-1");

        exit.Should().NotBe(0);
        stderr.Should().Contain("(InvalidInstanceID.Malformed) when calling the DescribeInstances operation: Invalid id: \"web-1\"");
    }

    private Task<AwsCli.Result> AwsAsync(params string[] args) => AwsCli.RunAsync(fixture.Harness.Sandbox.Endpoint, args);
}
