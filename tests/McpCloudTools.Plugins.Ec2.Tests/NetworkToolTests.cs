using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Security groups, VPCs and subnets of the default account.</summary>
public sealed class NetworkToolTests(DefaultFleetFixture fixture) : IClassFixture<DefaultFleetFixture>
{
    private SandboxHarness Harness => fixture.Harness;

    [Fact]
    public async Task SecurityGroups_ListThoseOpenToTheInternetOnSensitivePortsFirst()
    {
        var lines = (await Harness.TextAsync("ec2_security_group_list")).Split('\n');

        lines[0].Should().Be("9 security groups: 2 open to the internet on sensitive ports");
        lines[1].Should().MatchRegex(@"^sg-0\w+ bastion-ssh \(vpc-0\w+\): SSH bastion$");
        lines[2..5].Should().Equal("  OPEN TO INTERNET: ssh 22", "  in: tcp 22 from 0.0.0.0/0", "  out: all to 0.0.0.0/0");
        lines[5].Should().MatchRegex(@"^sg-0\w+ staging-debug \(vpc-0\w+\): temporary: MySQL for a contractor$");
        lines[6..8].Should().Equal("  OPEN TO INTERNET: mysql 3306", "  in: tcp 3306 from 0.0.0.0/0; tcp 22 from 10.0.0.0/8");
        var web = Array.FindIndex(lines, l => l.Contains(" web-prod ", StringComparison.Ordinal));
        lines[web + 1].Should().Be("  in: tcp 443 from 0.0.0.0/0, ::/0; tcp 80 from 0.0.0.0/0, ::/0", "HTTPS to the world is not flagged");
        lines.Should().Contain(l => l.StartsWith("  in: tcp 8080 from sg-0", StringComparison.Ordinal) && l.EndsWith(" (web-prod)", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("  in: all from sg-0", StringComparison.Ordinal) && l.EndsWith(" (default)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecurityGroups_FilterByVpcOrIdsAndSayWhenAGroupIsUnknown()
    {
        var all = (await Harness.TextAsync("ec2_security_group_list")).Split('\n');
        var staging = all.Single(l => l.Contains(" staging-debug ", StringComparison.Ordinal));
        var groupId = staging.Split(' ')[0];
        var vpc = staging.Split('(', ')')[1];

        var byVpc = await Harness.TextAsync("ec2_security_group_list", new { vpc_id = vpc });
        var byId = await Harness.TextAsync("ec2_security_group_list", new { group_ids = new[] { groupId } });
        var unknown = await Harness.ErrorAsync("ec2_security_group_list", new { group_ids = new[] { "sg-0123456789abcdef0" } });
        var malformed = await Harness.ErrorAsync("ec2_security_group_list", new { group_ids = new[] { "web-prod" } });

        byVpc.Should().StartWith($"2 security groups in {vpc}: 1 open to the internet on sensitive ports");
        byId.Should().StartWith("1 security groups: 1 open").And.Contain(" staging-debug ");
        unknown.Should().StartWith("Not found: security group sg-0123456789abcdef0 does not exist").And.Contain("(ec2 DescribeSecurityGroups, InvalidGroup.NotFound)");
        malformed.Should().Be("Invalid group_ids[0] 'web-prod': it is not a security group id. A security group id is sg- followed by 8 or 17 lower-case "
            + "hexadecimal digits (sg-0123456789abcdef0). ec2_security_group_list without group_ids lists them.");
    }

    [Fact]
    public async Task Vpcs_ShowCidrDefaultSubnetCountAndFreeAddresses()
    {
        var lines = (await Harness.TextAsync("ec2_vpc_list")).Split('\n');

        lines[0].Should().Be("3 VPCs in us-east-1");
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("ID", "NAME", "CIDR", "DEFAULT", "SUBNETS", "FREE-IPS");
        Cells(lines[2])[1..].Should().Equal("prod", "10.0.0.0/16", "-", "4", "739");
        Cells(lines[3])[1..].Should().Equal("staging", "10.1.0.0/16", "-", "1", "247");
        Cells(lines[4])[1..].Should().Equal("-", "172.31.0.0/16", "yes", "2", "8180");
    }

    [Fact]
    public async Task Subnets_PutTheFullestFirstAndFlagIt()
    {
        var lines = (await Harness.TextAsync("ec2_subnet_list")).Split('\n');

        lines[0].Should().Be("7 subnets: 1 under 10% free, 9166 free addresses in all");
        lines[1].Should().Be("az: us-east-1+; free: available/usable addresses (AWS keeps 5 per subnet)");
        Cells(lines[3]).Should().SatisfyRespectively(
            id => id.Should().StartWith("subnet-0"), name => name.Should().Be("prod-eks-pods-c"), vpc => vpc.Should().StartWith("vpc-0"),
            az => az.Should().Be("c"), cidr => cidr.Should().Be("10.0.64.0/26"), free => free.Should().Be("2/59"),
            low => low.Should().Be("LOW"), pub => pub.Should().Be("-"));
        lines.Should().Contain(l => l.Contains(" prod-public-a ", StringComparison.Ordinal) && l.EndsWith(" yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subnets_FilterByVpcAndRejectAVpcName()
    {
        var prod = Cells((await Harness.TextAsync("ec2_vpc_list")).Split('\n')[2])[0];

        var text = await Harness.TextAsync("ec2_subnet_list", new { vpc_id = prod });
        var error = await Harness.ErrorAsync("ec2_subnet_list", new { vpc_id = "prod" });

        text.Should().StartWith($"4 subnets in {prod}: 1 under 10% free, 739 free addresses in all");
        error.Should().Be("Invalid vpc_id 'prod': it is not a VPC id. A VPC id is vpc- followed by 8 or 17 lower-case hexadecimal digits "
            + "(vpc-0123456789abcdef0). ec2_vpc_list shows them.");
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
