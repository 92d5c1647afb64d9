using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>Security groups, VPCs, subnets and zones, and the filters of every describe call.</summary>
public sealed partial class Ec2Service
{
    private static readonly Ec2FilterSet<InstanceView> InstanceFilters = new(new Dictionary<string, Func<InstanceView, IEnumerable<string?>>>
    {
        ["instance-id"] = v => [v.Id],
        ["instance-state-name"] = v => [v.State.Name()],
        ["instance-state-code"] = v => [v.State.Code().ToString(CultureInfo.InvariantCulture)],
        ["instance-type"] = v => [v.Instance.InstanceType],
        ["vpc-id"] = v => [v.IsGone ? null : v.Instance.Subnet.VpcId],
        ["subnet-id"] = v => [v.IsGone ? null : v.Instance.Subnet.Id],
        ["availability-zone"] = v => [v.Instance.Subnet.AvailabilityZone],
        ["image-id"] = v => [v.Instance.ImageId],
        ["key-name"] = v => [v.Instance.KeyName],
        ["private-ip-address"] = v => [v.IsGone ? null : v.Instance.PrivateIp],
        ["ip-address"] = v => [v.PublicIp],
        ["instance.group-id"] = v => v.Instance.SecurityGroupIds,
        ["instance-lifecycle"] = v => [v.Instance.Lifecycle],
        ["platform"] = v => [v.Instance.Platform],
        ["architecture"] = v => [v.Instance.Architecture],
        ["reservation-id"] = v => [v.Instance.ReservationId],
        ["iam-instance-profile.arn"] = v => [v.Instance.IamProfileArn],
        ["launch-time"] = v => [Ec2Xml.Time(v.LaunchTime)],
    }, v => v.Instance.Tags);

    private static readonly Ec2FilterSet<Ec2SecurityGroup> GroupFilters = new(new Dictionary<string, Func<Ec2SecurityGroup, IEnumerable<string?>>>
    {
        ["group-id"] = g => [g.Id],
        ["group-name"] = g => [g.Name],
        ["vpc-id"] = g => [g.VpcId],
        ["description"] = g => [g.Description],
    }, g => g.Tags);

    private static readonly Ec2FilterSet<Ec2Vpc> VpcFilters = new(new Dictionary<string, Func<Ec2Vpc, IEnumerable<string?>>>
    {
        ["vpc-id"] = v => [v.Id],
        ["cidr"] = v => [v.CidrBlock],
        ["cidr-block-association.cidr-block"] = v => [v.CidrBlock],
        ["is-default"] = v => [v.IsDefault ? "true" : "false"],
        ["state"] = _ => ["available"],
    }, v => v.Tags);

    private static readonly Ec2FilterSet<Ec2Subnet> SubnetFilters = new(new Dictionary<string, Func<Ec2Subnet, IEnumerable<string?>>>
    {
        ["subnet-id"] = s => [s.Id],
        ["vpc-id"] = s => [s.VpcId],
        ["availability-zone"] = s => [s.AvailabilityZone],
        ["cidr-block"] = s => [s.CidrBlock],
        ["default-for-az"] = s => [s.DefaultForAz ? "true" : "false"],
        ["map-public-ip-on-launch"] = s => [s.MapPublicIpOnLaunch ? "true" : "false"],
        ["state"] = _ => ["available"],
    }, s => s.Tags);

    private static Ec2FilterSet<InstanceView> StatusFilters(DateTimeOffset now) => new(new Dictionary<string, Func<InstanceView, IEnumerable<string?>>>
    {
        ["availability-zone"] = v => [v.Instance.Subnet.AvailabilityZone],
        ["instance-state-name"] = v => [v.State.Name()],
        ["instance-state-code"] = v => [v.State.Code().ToString(CultureInfo.InvariantCulture)],
        ["instance-status.status"] = v => [Ec2Lifecycle.CheckStatus(v.State, v.LaunchTime, v.RebootedAt, v.ImpairedSince is not null, now)],
        ["system-status.status"] = v => [Ec2Lifecycle.CheckStatus(v.State, v.LaunchTime, null, false, now)],
        ["event.code"] = v => [v.Event?.Code],
    }, _ => []);

    private Task DescribeSecurityGroupsAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var ids = query.GetList("GroupId");
        var names = query.GetList("GroupName");
        Ec2Paging.CheckIds(ids, "sg-", "InvalidGroupId.Malformed");
        var missing = ids.Where(id => _store.SecurityGroups.All(g => g.Id != id)).ToList();
        if (missing.Count > 0)
            throw new SandboxApiException(400, "InvalidGroup.NotFound", $"The security group '{string.Join(", ", missing)}' does not exist");
        var groups = _store.SecurityGroups.Where(g => (ids.Count == 0 || ids.Contains(g.Id)) && (names.Count == 0 || names.Contains(g.Name)))
            .OrderBy(g => g.Id, StringComparer.Ordinal);
        var (page, next) = Ec2Paging.Page(query, GroupFilters.Apply(groups, query.GetFilters()), g => g.Id, ids.Count > 0, "groupIds");
        DryRunCheck(request, "DescribeSecurityGroups", []);
        return QueryXml.WriteEc2Async(request, "DescribeSecurityGroups", w =>
        {
            w.WriteStartElement("securityGroupInfo");
            foreach (var g in page) Ec2Xml.SecurityGroup(w, g, context.AccountId, context.Region);
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", next);
        }, cancellationToken);
    }

    private Task DescribeVpcsAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var ids = query.GetList("VpcId");
        Ec2Paging.CheckIds(ids, "vpc-", "InvalidVpcID.Malformed");
        if (ids.FirstOrDefault(id => _store.Vpcs.All(v => v.Id != id)) is { } missing)
            throw new SandboxApiException(400, "InvalidVpcID.NotFound", $"The vpc ID '{missing}' does not exist");
        var vpcs = _store.Vpcs.Where(v => ids.Count == 0 || ids.Contains(v.Id)).OrderBy(v => v.Id, StringComparer.Ordinal);
        var (page, next) = Ec2Paging.Page(query, VpcFilters.Apply(vpcs, query.GetFilters()), v => v.Id, ids.Count > 0, "vpcIds");
        DryRunCheck(request, "DescribeVpcs", []);
        return QueryXml.WriteEc2Async(request, "DescribeVpcs", w =>
        {
            w.WriteStartElement("vpcSet");
            foreach (var v in page) Ec2Xml.Vpc(w, v, context.AccountId);
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", next);
        }, cancellationToken);
    }

    private Task DescribeSubnetsAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var ids = query.GetList("SubnetId");
        Ec2Paging.CheckIds(ids, "subnet-", "InvalidSubnetID.Malformed");
        if (ids.FirstOrDefault(id => _store.Subnets.All(s => s.Id != id)) is { } missing)
            throw new SandboxApiException(400, "InvalidSubnetID.NotFound", $"The subnet ID '{missing}' does not exist");
        var subnets = _store.Subnets.Where(s => ids.Count == 0 || ids.Contains(s.Id)).OrderBy(s => s.Id, StringComparer.Ordinal);
        var (page, next) = Ec2Paging.Page(query, SubnetFilters.Apply(subnets, query.GetFilters()), s => s.Id, ids.Count > 0, "subnetIds");
        DryRunCheck(request, "DescribeSubnets", []);
        var used = _store.UsedAddresses();
        return QueryXml.WriteEc2Async(request, "DescribeSubnets", w =>
        {
            w.WriteStartElement("subnetSet");
            foreach (var s in page)
            {
                // AWS keeps five addresses of every subnet (network, router, DNS, future use, broadcast).
                var available = Math.Max(0, s.Size - 5 - s.OtherUsedIps - used.GetValueOrDefault(s.Id));
                Ec2Xml.Subnet(w, s, available, context.AccountId, context.Region);
            }
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", next);
        }, cancellationToken);
    }

    private Task DescribeAvailabilityZonesAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        DryRunCheck(request, "DescribeAvailabilityZones", []);
        var names = request.Query.GetList("ZoneName");
        var zones = "abcdef".Select(z => context.Region + z)
            .Where(z => names.Count == 0 || names.Contains(z));
        return QueryXml.WriteEc2Async(request, "DescribeAvailabilityZones", w =>
        {
            w.WriteStartElement("availabilityZoneInfo");
            foreach (var zone in zones) Ec2Xml.Zone(w, zone, context.Region);
            w.WriteEndElement();
        }, cancellationToken);
    }
}
