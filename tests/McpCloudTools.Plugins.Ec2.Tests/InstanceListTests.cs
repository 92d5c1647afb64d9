using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary><c>ec2_instance_list</c> over the default account.</summary>
public sealed class InstanceListTests(DefaultFleetFixture fixture) : IClassFixture<DefaultFleetFixture>
{
    private SandboxHarness Harness => fixture.Harness;

    [Fact]
    public async Task List_CountsByStateAtTheTopAndOneCompactRowPerInstance()
    {
        var text = await Harness.TextAsync("ec2_instance_list");

        var lines = text.Split('\n');
        lines[0].Should().Be("25 instances in us-east-1: pending 1, running 17, stopping 1, stopped 3, shutting-down 1, terminated 2");
        lines[1].Should().Be("st: pend=pending stpg=stopping shut=shutting-down run=running stop=stopped term=terminated; az: us-east-1+");
        lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("ID", "NAME", "ST", "TYPE", "AZ", "PRIVATE-IP", "PUBLIC-IP", "AGE");
        var rows = Ec2Harness.Rows(text);
        rows.Should().HaveCount(25);
        rows.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        lines.Single(l => l.Contains(" bastion ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..]
            .Should().SatisfyRespectively(
                s => s.Should().Be("run"), t => t.Should().Be("t3.micro"), az => az.Should().Be("a"),
                ip => ip.Should().StartWith("10.0.101."), pub => pub.Should().MatchRegex(@"^\d+\.\d+\.\d+\.\d+$"), age => age.Should().Be("90d"));
        lines[^1].Should().Be("scan: 25 instances in 1 DescribeInstances call");
    }

    [Fact]
    public async Task List_PutsInstancesOnTheMoveFirstThenRunningByNameAndTerminatedLast()
    {
        var rows = Ec2Harness.Rows(await Harness.TextAsync("ec2_instance_list"));

        rows.Take(3).Select(r => (r.Name, r.State)).Should().Equal(("eks-prod-node-3", "pend"), ("worker-4", "stpg"), ("staging-worker-1", "shut"));
        rows.Where(r => r.State == "run").Select(r => r.Name).Where(n => n != "-").Should().BeInAscendingOrder(StringComparer.Ordinal);
        rows.TakeLast(2).Select(r => r.State).Should().AllBe("term");
    }

    [Fact]
    public async Task List_StateFilterKeepsTheCountsOfEveryStateAndOmitsColumnsEmptyOnThePage()
    {
        var text = await Harness.TextAsync("ec2_instance_list", new { state = "stopped,stopping" });

        text.Should().StartWith("25 instances in us-east-1: pending 1, running 17, stopping 1, stopped 3, shutting-down 1, terminated 2; "
            + "state=stopped,stopping: 4\nst: stpg=stopping stop=stopped;");
        Ec2Harness.Rows(text).Select(r => r.Name).Should().Equal("worker-4", "staging-api-1", "staging-web-1", "worker-3");
        text.Should().NotContain("PUBLIC-IP", "no stopped instance keeps a public address");
        text.Should().EndWith("scan: 25 instances in 1 DescribeInstances call; state filtered here");
    }

    [Fact]
    public async Task List_TypeTagAndVpcFiltersRunInEc2WithWildcards()
    {
        var byType = await Harness.TextAsync("ec2_instance_list", new { type = "m6i.*" });
        var byTag = await Harness.TextAsync("ec2_instance_list", new { tag = "team=pay*" });
        var byKey = await Harness.TextAsync("ec2_instance_list", new { tag = "protected" });
        var stagingVpc = (await Harness.TextAsync("ec2_vpc_list")).Split('\n').Single(l => l.Contains(" staging ")).Split(' ')[0];
        var byVpc = await Harness.TextAsync("ec2_instance_list", new { vpc_id = stagingVpc });

        byType.Should().StartWith("7 instances in us-east-1 matching type=m6i.*: pending 1, running 6")
            .And.EndWith("EC2 filtered instance-type");
        Ec2Harness.Rows(byTag).Select(r => r.Name).Should().Equal("api-1", "api-2", "api-3");
        byTag.Should().EndWith("EC2 filtered tag-key; tag value filtered here", "EC2 compares tag values case-sensitively, the name rule does not");
        Ec2Harness.Rows(byKey).Select(r => r.Name).Should().Equal("db-1");
        byKey.Should().EndWith("EC2 filtered tag-key");
        Ec2Harness.Rows(byVpc).Select(r => r.Name).Should().BeEquivalentTo("staging-worker-1", "staging-db-1", "staging-api-1", "staging-web-1");
        byVpc.Should().Contain($"matching vpc={stagingVpc}: running 1, stopped 2, shutting-down 1");
    }

    [Fact]
    public async Task List_NameFilterIsACaseInsensitiveSubstringAndNarrowsTheCounts()
    {
        var text = await Harness.TextAsync("ec2_instance_list", new { name = "WEB" });

        text.Should().StartWith("4 instances in us-east-1 matching name~WEB: running 3, stopped 1\n");
        Ec2Harness.Rows(text).Select(r => r.Name).Should().Equal("web-1", "web-2", "web-3", "staging-web-1");
        text.Should().EndWith("scan: 25 instances in 1 DescribeInstances call; name filtered here");
    }

    [Fact]
    public async Task List_NoMatchSaysWhatToCheck()
    {
        var text = await Harness.TextAsync("ec2_instance_list", new { type = "p5.48xlarge" });

        text.Should().Be("0 instances in us-east-1 matching type=p5.48xlarge\n"
            + "No instance matches. Check the filters (name, type and tag values: any case, a part of the value, or a whole-value pattern with *; tag keys exact) and the region.\n"
            + "scan: 0 instances in 1 DescribeInstances call; EC2 filtered instance-type");
    }

    [Theory]
    [InlineData("state", "sleeping", "Unknown state 'sleeping'. Valid states: pending, running, stopping, stopped, shutting-down, terminated")]
    [InlineData("tag", "=prod", "tag '=prod' has no key; use key or key=value")]
    [InlineData("vpc_id", "prod", "Invalid vpc_id 'prod': it is not a VPC id. A VPC id is vpc- followed by 8 or 17 lower-case hexadecimal digits")]
    [InlineData("limit", 0, "limit must be between 1 and 1000 (got 0); omit it for 50.")]
    [InlineData("cursor", "not-a-cursor", "This cursor is damaged or belongs to another listing")]
    public async Task List_BadArgumentsAreActionableErrors(string argument, object value, string expected)
    {
        var message = await Harness.ErrorAsync("ec2_instance_list", new Dictionary<string, object?> { [argument] = value });

        message.Should().Contain(expected);
    }
}
