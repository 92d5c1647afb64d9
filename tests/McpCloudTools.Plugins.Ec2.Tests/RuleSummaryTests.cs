using Amazon.EC2.Model;
using McpCloudTools.Plugins.Ec2.Services;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Security group rules in brief, and which of them expose a sensitive port to the internet.</summary>
public sealed class RuleSummaryTests
{
    [Fact]
    public void Exposures_FlagSensitivePortsOpenToAnyIpv4OrIpv6Address()
    {
        RuleSummary.Exposures([Tcp(22, 22, "0.0.0.0/0")]).Should().Equal("ssh 22");
        RuleSummary.Exposures([Tcp(3389, 3389, ipv6: "::/0")]).Should().Equal("rdp 3389");
        RuleSummary.Exposures([Tcp(3000, 6000, "0.0.0.0/0")]).Should().Equal("mysql 3306", "rdp 3389", "postgres 5432", "redshift 5439", "kibana 5601", "couchdb 5984");
        RuleSummary.Exposures([new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }]).Should().Equal("all ports");
        RuleSummary.Exposures([Tcp(0, 65535, "0.0.0.0/0")]).Should().Equal("all ports");
    }

    [Fact]
    public void Exposures_IgnoreNarrowSourcesHarmlessPortsIcmpAndNullCollections()
    {
        RuleSummary.Exposures([Tcp(22, 22, "10.0.0.0/8"), Tcp(443, 443, "0.0.0.0/0"), Tcp(80, 80, ipv6: "::/0")]).Should().BeEmpty();
        RuleSummary.Exposures([new IpPermission { IpProtocol = "icmp", FromPort = -1, ToPort = -1, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }]).Should().BeEmpty();
        RuleSummary.Exposures([new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22 }]).Should().BeEmpty();
        RuleSummary.Exposures(null).Should().BeEmpty();
    }

    [Fact]
    public void Describe_ReadsLikeAFirewallRule()
    {
        var groups = new Dictionary<string, string> { ["sg-1"] = "web" };

        RuleSummary.Describe(Tcp(443, 443, "0.0.0.0/0", "::/0"), inbound: true).Should().Be("tcp 443 from 0.0.0.0/0, ::/0");
        RuleSummary.Describe(Tcp(1000, 2000, "10.0.0.0/8"), inbound: false).Should().Be("tcp 1000-2000 to 10.0.0.0/8");
        RuleSummary.Describe(Tcp(0, 65535, "10.0.0.0/8"), inbound: true).Should().Be("tcp all ports from 10.0.0.0/8");
        RuleSummary.Describe(new IpPermission { IpProtocol = "-1", UserIdGroupPairs = [new UserIdGroupPair { GroupId = "sg-1" }] }, true, groups)
            .Should().Be("all from sg-1 (web)");
        RuleSummary.Describe(new IpPermission { IpProtocol = "17", FromPort = 53, ToPort = 53, PrefixListIds = [new PrefixListId { Id = "pl-1" }] }, false)
            .Should().Be("udp 53 to pl-1");
        RuleSummary.Describe(new IpPermission { IpProtocol = "icmp", FromPort = -1, ToPort = -1 }, true).Should().Be("icmp from nowhere");
    }

    private static IpPermission Tcp(int from, int to, string? ipv4 = null, string? ipv6 = null) => new()
    {
        IpProtocol = "tcp", FromPort = from, ToPort = to,
        Ipv4Ranges = ipv4 is null ? null : [new IpRange { CidrIp = ipv4 }],
        Ipv6Ranges = ipv6 is null ? null : [new Ipv6Range { CidrIpv6 = ipv6 }],
    };
}
