using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>EC2's RequestLimitExceeded and 5xx answers go through the shared retry policy.</summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task Throttling_IsAbsorbedByRetries()
    {
        await using var harness = await Ec2Harness.StartAsync(faults: new FaultSettings { ThrottleNext = 2 });

        var text = await harness.TextAsync("ec2_instance_list", new { state = "running", limit = 3 });

        text.Should().StartWith("25 instances in us-east-1:");
        harness.Sandbox.Faults.Snapshot()["ec2"].ThrottleNext.Should().Be(0, "both throttled attempts were retried");
    }

    [Fact]
    public async Task Throttling_BeyondTheRetryBudgetIsAClearError()
    {
        await using var harness = await Ec2Harness.StartAsync(faults: new FaultSettings { ThrottleNext = 10 });

        var message = await harness.ErrorAsync("ec2_vpc_list");

        message.Should().MatchRegex(@"^Throttled by ec2 DescribeVpcs 4 times over [0-9.]+ s \(RequestLimitExceeded\); retry later or lower the request rate\.$");
        harness.Sandbox.Faults.Snapshot()["ec2"].ThrottleNext.Should().Be(6, "four attempts were made, as the policy allows");
    }

    [Fact]
    public async Task ServerErrors_AreRetriedForReads()
    {
        await using var harness = await Ec2Harness.StartAsync(faults: new FaultSettings { ErrorNext = 1 });

        var text = await harness.TextAsync("ec2_subnet_list");

        text.Should().StartWith("7 subnets:");
    }

    [Fact]
    public async Task UnreachableEndpoint_IsANetworkErrorThatNamesTheEndpoint()
    {
        await using var harness = await Ec2Harness.StartAsync();
        var endpoint = harness.Sandbox.Endpoint.GetLeftPart(UriPartial.Authority);
        await harness.Sandbox.DisposeAsync();

        var message = await harness.ErrorAsync("ec2_vpc_list");

        message.Should().StartWith($"ec2 DescribeVpcs at {endpoint} could not be completed (")
            .And.EndWith("Check the network and the endpoint (endpoint_url, AWS_ENDPOINT_URL), then retry.");
    }
}
