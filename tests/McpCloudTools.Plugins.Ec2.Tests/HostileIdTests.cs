using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Issue 12: EC2 ids and filters are checked before the SDK call; the sandbox answers a malformed id like EC2, with a 4xx.</summary>
public sealed class HostileIdTests
{
    [Fact]
    public async Task ANulInAnInstanceId_IsRefusedNamingTheArgument_AndNothingIsSentOrRetried()
    {
        await using var harness = await Ec2Harness.StartAsync();
        await harness.TextAsync("ec2_vpc_list");
        var before = harness.Sandbox.Requests.Last;

        var error = await harness.ErrorAsync("ec2_instance_describe", new { instance_ids = new[] { "i-0123456789abcdef0", "i-0123456\0" } });

        error.Should().Be("Invalid instance_ids[1] 'i-0123456\\u0000': it contains the control character U+0000 at position 10. An instance id is i- "
            + "followed by 8 or 17 lower-case hexadecimal digits (i-0123456789abcdef0). ec2_instance_list shows them.");
        harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task TheSandbox_AnswersANulInAnInstanceIdWithEc2sMalformedError_NeverA500_SoNothingIsRetried()
    {
        await using var harness = await Ec2Harness.StartAsync();
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"),
            new AmazonEC2Config { ServiceURL = harness.Sandbox.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var before = harness.Sandbox.Requests.Last;

        var call = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0123456\0"] });

        var error = (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("InvalidInstanceID.Malformed");
        error.Message.Should().Be("Invalid id: \"i-0123456\uFFFD\" (expecting \"i-...\")");
        harness.Sandbox.Requests.Since(before).Should().ContainSingle("a 4xx is not retried");
    }

    [Fact]
    public async Task A12MiBNameFilter_IsRefusedWithAShortPrefix_NotEchoed()
    {
        await using var harness = await Ec2Harness.StartAsync();
        var name = new string('x', 12 * 1024 * 1024);

        var error = await harness.ErrorAsync("ec2_instance_list", new { name });

        error.Should().Be($"Invalid name '{new string('x', 64)}…' (12,582,912 characters): it is 12,582,912 characters long, more than 256. "
            + "A Name filter is one line of text of at most 256 characters without control characters.");
    }

    [Fact]
    public async Task EveryIdOfEveryEc2Tool_RefusesHostileValuesBeforeAnyRequest()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        await harness.TextAsync("ec2_vpc_list");
        var before = harness.Sandbox.Requests.Last;
        (string Tool, string Argument, bool List)[] cases =
        [
            ("ec2_instance_describe", "instance_ids", true), ("ec2_instance_status", "instance_ids", true),
            ("ec2_instance_start", "instance_ids", true), ("ec2_instance_stop", "instance_ids", true),
            ("ec2_instance_reboot", "instance_ids", true), ("ec2_instance_terminate", "instance_ids", true),
            ("ec2_security_group_list", "group_ids", true), ("ec2_security_group_list", "vpc_id", false),
            ("ec2_subnet_list", "vpc_id", false), ("ec2_instance_list", "vpc_id", false), ("ec2_instance_list", "type", false),
        ];
        var failures = new List<string>();
        foreach (var (tool, argument, list) in cases)
        {
            // The type filter takes EC2's '*' wildcards: only what it cannot hold is refused.
            foreach (var value in HostileNames.Values.Concat(HostileNames.Suffixes.Select(s => "i-0123456789abcdef0" + s))
                         .Where(v => argument != "type" || Client.Ec2Ids.InstanceTypeFilter.Problem(v) is not null))
            {
                var args = new Dictionary<string, object?> { [argument] = list ? new[] { value } : value, ["dry_run"] = true };
                if (!tool.EndsWith("_start", StringComparison.Ordinal) && !tool.EndsWith("_stop", StringComparison.Ordinal)
                    && !tool.EndsWith("_reboot", StringComparison.Ordinal) && !tool.EndsWith("_terminate", StringComparison.Ordinal)) args.Remove("dry_run");
                var name = list ? $"{argument}[0]" : argument;
                var result = await harness.CallAsync(tool, args);
                if (result.IsError != true || !result.Text().StartsWith($"Invalid {name} ", StringComparison.Ordinal) || result.Text().Length > 600)
                    failures.Add($"{tool} {argument}={value}: {result.Text()}");
            }
        }

        failures.Should().BeEmpty();
        harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }
}
