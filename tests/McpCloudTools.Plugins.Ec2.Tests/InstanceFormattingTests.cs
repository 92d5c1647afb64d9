using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Ec2.Services;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>States, filters and the compact instance table.</summary>
public sealed class InstanceFormattingTests
{
    [Fact]
    public void States_ParseCommaSeparatedNamesAndRejectUnknownOnesWithTheValidValues()
    {
        InstanceStates.Parse(" Running , stopped,running").Should().Equal("running", "stopped");
        InstanceStates.Parse(null).Should().BeEmpty();
        var act = () => InstanceStates.Parse("running,up");

        act.Should().Throw<ToolException>().WithMessage("Unknown state 'up'. Valid states: pending, running, stopping, stopped, shutting-down, terminated*");
    }

    [Fact]
    public void Filter_SendsTypeTagKeyAndVpcToEc2AndKeepsNameTagValueAndStateLocal()
    {
        var filter = InstanceFilter.Parse("stopped", "t3.*", "env=prod", "vpc-0abc", "web");

        filter.Ec2Filters().Select(f => $"{f.Name}={string.Join(",", f.Values!)}").Should().Equal("instance-type=t3.*", "tag-key=env", "vpc-id=vpc-0abc");
        filter.LocalFilters.Should().Be("name, tag value, state");
        InstanceFilter.Parse(null, "LARGE", null, null, null).Ec2Filters().Single().Values.Should().Equal("*large*");
        var row = new InstanceRow("i-0123456789abcdef0", "Staging-WEB-1", "running", "t3.micro", null, null, null, null);
        filter.MatchesName(row, [new Amazon.EC2.Model.Tag("env", "Prod")]).Should().BeTrue("name and tag value: any case, a part");
        filter.MatchesName(row, [new Amazon.EC2.Model.Tag("env", "preprod-x")]).Should().BeTrue();
        filter.MatchesName(row, [new Amazon.EC2.Model.Tag("env", "staging")]).Should().BeFalse();
        InstanceFilter.Parse(null, null, "env=p*d", null, "*-web-*").MatchesName(row, [new Amazon.EC2.Model.Tag("env", "PROD")]).Should().BeTrue();
        filter.Describe().Should().Be(" matching type=t3.*, tag env=prod, vpc=vpc-0abc, name~web");
        InstanceFilter.Parse(null, null, "team", null, null).Ec2Filters().Single().Name.Should().Be("tag-key");
    }

    [Fact]
    public void Table_AbbreviatesStatesAndZonesAndLeavesOutEmptyColumns()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var output = new ToolOutput();

        InstanceTable.Write(output,
        [
            new InstanceRow("i-0aaaaaaaaaaaaaaaa", "web-1", "running", "t3.micro", "us-east-1a", "10.0.0.5", null, now.AddDays(-3)),
            new InstanceRow("i-0bbbbbbbbbbbbbbbb", null, "shutting-down", "m6i.large", "us-east-1b", null, null, now.AddMinutes(-90)),
        ], "us-east-1", now);

        output.ToString().Should().Be(
            "st: shut=shutting-down run=running; az: us-east-1+\n"
            + "ID                  NAME  ST   TYPE      AZ PRIVATE-IP AGE\n"
            + "i-0aaaaaaaaaaaaaaaa web-1 run  t3.micro  a  10.0.0.5   3d\n"
            + "i-0bbbbbbbbbbbbbbbb -     shut m6i.large b  -          90m");
    }
}
