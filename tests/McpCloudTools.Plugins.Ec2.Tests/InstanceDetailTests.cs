using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary><c>ec2_instance_describe</c>, <c>ec2_instance_status</c>, and the plugin's health, summary and resources.</summary>
public sealed class InstanceDetailTests(DefaultFleetFixture fixture) : IClassFixture<DefaultFleetFixture>
{
    private SandboxHarness Harness => fixture.Harness;

    [Fact]
    public async Task Describe_GivesTheOperatorsDetailWithoutEmptyFields()
    {
        var id = await Harness.IdOfAsync("web-1");

        var lines = (await Harness.TextAsync("ec2_instance_describe", new { instance_ids = new[] { id } })).Split('\n');

        lines[0].Should().MatchRegex($"^{id} web-1: running, up 41d \\(launched \\d{{4}}-\\d\\d-\\d\\dT[0-9:]+Z\\)$");
        lines[1..].Select(l => l.Split(": ")[0]).Should().Equal("type", "image", "key pair", "placement", "private", "iam profile",
            "security groups", "metadata", "network interface", "block devices", "tags");
        lines.Should().Contain("type: t3.medium, x86_64, Linux/UNIX").And.Contain("key pair: ops-key")
            .And.Contain("iam profile: arn:aws:iam::123456789012:instance-profile/prod-instance")
            .And.Contain("metadata: IMDSv2 required").And.Contain("tags: env=prod");
        lines.Single(l => l.StartsWith("security groups:", StringComparison.Ordinal)).Should().MatchRegex(@"^security groups: sg-0\w+ \(web-prod\), sg-0\w+ \(app-prod\)$");
        lines.Single(l => l.StartsWith("block devices:", StringComparison.Ordinal)).Should().MatchRegex(@"^block devices: /dev/xvda vol-0\w+ \(root\)$");
        lines.Should().NotContain(l => l.EndsWith(':') || l.EndsWith(": ") || l.Contains("()"));
    }

    [Fact]
    public async Task Describe_SeveralInstancesComeInTheOrderAsked()
    {
        var db = await Harness.IdOfAsync("db-1");
        var bastion = await Harness.IdOfAsync("bastion");

        var text = await Harness.TextAsync("ec2_instance_describe", new { instance_ids = new[] { db, bastion, db } });

        var blocks = text.Split("\n\n");
        blocks.Should().HaveCount(2);
        blocks[0].Should().StartWith($"{db} db-1: running").And.MatchRegex(@"block devices: /dev/xvda vol-0\w+ \(root\), /dev/sdf vol-0\w+")
            .And.Contain("tags: env=prod, protected=true");
        blocks[1].Should().StartWith($"{bastion} bastion: running").And.MatchRegex(@"\npublic: [0-9.]+ \(ec2-[0-9-]+\.compute-1\.amazonaws\.com\)\n");
    }

    [Fact]
    public async Task Describe_StoppedAndTerminatedInstancesSayWhy()
    {
        var stopped = await Harness.IdOfAsync("worker-3");
        var spot = await Harness.IdOfAsync("batch-spot-1");
        var windows = await Harness.IdOfAsync("win-reporting-1");

        var text = await Harness.TextAsync("ec2_instance_describe", new { instance_ids = new[] { stopped, spot, windows } });

        var blocks = text.Split("\n\n");
        blocks[0].Should().MatchRegex($"^{stopped} worker-3: stopped, last launched [0-9T:-]+Z\n")
            .And.MatchRegex(@"\nstate reason: Client\.UserInitiatedShutdown: User initiated shutdown; User initiated \([0-9: -]+ GMT\)\n")
            .And.NotContain("public:");
        blocks[1].Should().Contain("state reason: Server.SpotInstanceTermination: Spot instance termination")
            .And.Contain("type: c6i.2xlarge, x86_64, Linux/UNIX, spot lifecycle")
            .And.Contain("placement: us-east-1a\n").And.NotContain("private:").And.NotContain("block devices:");
        blocks[2].Should().Contain("type: m6i.large, x86_64, Windows");
    }

    [Fact]
    public async Task Describe_UnknownIdIsNotFoundWithWhatToTry()
    {
        var message = await Harness.ErrorAsync("ec2_instance_describe", new { instance_ids = new[] { "i-0123456789abcdef0" } });

        // The account appears once an earlier access-denied answer has made the plugin ask STS who it is.
        message.Should().MatchRegex(@"^Not found: instance i-0123456789abcdef0 does not exist in (account 123456789012, )?region us-east-1 ")
            .And.EndWith("(ec2 DescribeInstances, InvalidInstanceID.NotFound). AWS said: The instance ID 'i-0123456789abcdef0' does not exist. "
                + "List instances with ec2_instance_list (terminated ones disappear about an hour after termination), and check the region.");
    }

    [Theory]
    [InlineData(new[] { "web-1" }, "Invalid instance_ids[0] 'web-1': it is not an instance id. An instance id is i- followed by 8 or 17 lower-case hexadecimal digits")]
    [InlineData(new string[0], "instance_ids is empty: give at least one instance id (i-0123456789abcdef0); ec2_instance_list shows them.")]
    [InlineData(new[] { " ", "" }, "instance_ids[0] is empty: leave it out, or give an instance id.")]
    public async Task Describe_MalformedOrMissingIdsAreActionableErrors(string[] ids, string expected)
    {
        var message = await Harness.ErrorAsync("ec2_instance_describe", new { instance_ids = ids });

        message.Should().Contain(expected);
    }

    [Fact]
    public async Task Describe_MoreThanFiftyIdsAreRefusedBeforeCallingEc2()
    {
        var ids = Enumerable.Range(0, 51).Select(i => $"i-0{i:x16}").ToArray();

        var message = await Harness.ErrorAsync("ec2_instance_describe", new { instance_ids = ids });

        message.Should().Be("At most 50 instance ids per call (got 51); split the list.");
    }

    [Fact]
    public async Task Status_PutsTheImpairedFirstThenScheduledEvents()
    {
        var text = await Harness.TextAsync("ec2_instance_status");

        var lines = text.Split('\n');
        lines[0].Should().Be("17 running instances checked: impaired 1, scheduled events 1, initializing 0, ok 15");
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("ID", "NAME", "SYSTEM", "INSTANCE", "EBS", "EVENT");
        lines[2].Should().MatchRegex(@"^i-0\w+ +api-3 +ok +IMPAIRED 25m +ok +-$");
        lines[3].Should().MatchRegex(@"^i-0\w+ +worker-2 +ok +ok +ok +system-reboot in 2d$");
        text.Should().MatchRegex(@"\nevent i-0\w+: system-reboot [0-9T:-]+Z–[0-9T:-]+Z: The instance is scheduled for a reboot \(instance-event-0\w+\)\n")
            .And.Contain("impaired: a failed instance check is usually the OS");
    }

    [Fact]
    public async Task Status_IncludeAllShowsTheOthersAsNotRunning()
    {
        var text = await Harness.TextAsync("ec2_instance_status", new { include_all = true, limit = 30 });

        text.Should().StartWith("25 instances checked: impaired 1, scheduled events 1, initializing 0, ok 15, not running 8\n");
        text.Split('\n').Single(l => l.Contains(" worker-3 ", StringComparison.Ordinal)).Should().MatchRegex(@" stopped +n/a +n/a +n/a +-$");
    }

    [Fact]
    public async Task Status_ForChosenInstancesAndUnknownIds()
    {
        var api3 = await Harness.IdOfAsync("api-3");

        var text = await Harness.TextAsync("ec2_instance_status", new { instance_ids = new[] { api3 } });
        var unknown = await Harness.ErrorAsync("ec2_instance_status", new { instance_ids = new[] { "i-0fffffffffffffff0" } });

        text.Should().StartWith("1 running instances checked: impaired 1");
        unknown.Should().StartWith("Not found: instance i-0fffffffffffffff0 does not exist");
    }

    [Fact]
    public async Task Resources_ListLiveInstancesAndReadBackTheirDetail()
    {
        var bastion = await Harness.IdOfAsync("bastion");

        var resources = await Harness.Mcp.Client.ListResourcesAsync();
        var read = await Harness.Mcp.Client.ReadResourceAsync($"ec2://ec2/instances/{bastion}");

        resources.Where(r => r.Uri.StartsWith("ec2://ec2/instances/i-0", StringComparison.Ordinal)).Should().HaveCount(23, "terminated instances are not resources");
        resources.Single(r => r.Uri.EndsWith(bastion, StringComparison.Ordinal)).Name.Should().Be($"bastion ({bastion})");
        read.Contents.OfType<TextResourceContents>().Single().Text.Should().StartWith($"{bastion} bastion: running");
    }

    [Fact]
    public async Task Plugin_HealthCheckAndStatusSummaryReadEc2()
    {
        var (plugin, context) = await PluginAsync();

        var health = await plugin.HealthCheckAsync(context, CancellationToken.None);
        var summary = await plugin.GetStatusSummaryAsync(context, CancellationToken.None);

        health.Status.Should().Be(HealthStatus.Healthy);
        health.Message.Should().Be("EC2 answers in us-east-1 (6 zones)");
        summary.Text.Should().Be("25 instances in us-east-1: pending 1, running 17, stopping 1, stopped 3, shutting-down 1, terminated 2");
        summary.Counts.Should().Contain("running", 17).And.Contain("terminated", 2);
    }

    private async Task<(PluginBase Plugin, PluginContext Context)> PluginAsync()
    {
        var services = Harness.Mcp.Services;
        var plugin = services.GetRequiredService<ToolCatalog>().FindPlugin("ec2")!;
        var context = await services.GetRequiredService<PluginRouter<Ec2Plugin>>().InstanceAsync(null, CancellationToken.None);
        return (plugin, context);
    }
}
