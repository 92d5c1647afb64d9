using System.Globalization;
using System.Xml;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>Account facts the XML needs: ids for ARNs and DNS names, and group names for <c>groupSet</c>.</summary>
internal sealed record Ec2XmlContext(string AccountId, string Region, IReadOnlyDictionary<string, string> GroupNames);

/// <summary>
/// EC2's XML shapes (API 2016-11-15, element names from the service model's <c>locationName</c>s): lists are
/// <c>&lt;xSet&gt;&lt;item&gt;</c>, times are ISO 8601 with milliseconds, booleans are <c>true</c>/<c>false</c>, and
/// absent values are left out rather than written empty.
/// </summary>
internal static class Ec2Xml
{
    public static void Instance(XmlWriter w, InstanceView v, Ec2XmlContext c)
    {
        var (i, region) = (v.Instance, c.Region);
        w.WriteStartElement("item");
        Text(w, "instanceId", i.Id);
        Text(w, "imageId", i.ImageId);
        State(w, "instanceState", v.State);
        var privateDns = v.IsGone ? null : PrivateDns(i.PrivateIp, region);
        Text(w, "privateDnsName", privateDns ?? "");
        Text(w, "dnsName", v.PublicIp is { } ip ? PublicDns(ip, region) : "");
        Text(w, "reason", v.TransitionReason ?? "");
        Text(w, "keyName", i.KeyName);
        Text(w, "amiLaunchIndex", "0");
        Text(w, "instanceType", i.InstanceType);
        Text(w, "launchTime", Time(v.LaunchTime));
        w.WriteStartElement("placement");
        Text(w, "availabilityZone", i.Subnet.AvailabilityZone);
        Text(w, "groupName", "");
        Text(w, "tenancy", "default");
        w.WriteEndElement();
        Text(w, "platform", i.Platform);
        w.WriteStartElement("monitoring");
        Text(w, "state", "disabled");
        w.WriteEndElement();
        if (!v.IsGone)
        {
            Text(w, "subnetId", i.Subnet.Id);
            Text(w, "vpcId", i.Subnet.VpcId);
            Text(w, "privateIpAddress", i.PrivateIp);
        }
        Text(w, "ipAddress", v.PublicIp);
        Text(w, "sourceDestCheck", "true");
        Groups(w, "groupSet", i.SecurityGroupIds, c);
        if (v.StateReason is { } reason)
        {
            w.WriteStartElement("stateReason");
            Text(w, "code", reason.Code);
            Text(w, "message", reason.Message);
            w.WriteEndElement();
        }
        Text(w, "architecture", i.Architecture);
        Text(w, "rootDeviceType", "ebs");
        Text(w, "rootDeviceName", i.Platform == "windows" ? "/dev/sda1" : "/dev/xvda");
        w.WriteStartElement("blockDeviceMapping");
        if (!v.IsGone)
        {
            Volume(w, i.Platform == "windows" ? "/dev/sda1" : "/dev/xvda", i.RootVolumeId, i.CreatedAt);
            foreach (var (device, volume) in i.DataVolumes) Volume(w, device, volume, i.CreatedAt);
        }
        w.WriteEndElement();
        Text(w, "virtualizationType", "hvm");
        Text(w, "clientToken", "");
        Text(w, "instanceLifecycle", i.Lifecycle);
        Tags(w, i.Tags);
        Text(w, "hypervisor", "xen");
        w.WriteStartElement("networkInterfaceSet");
        if (!v.IsGone) NetworkInterface(w, v, c, privateDns!);
        w.WriteEndElement();
        if (i.IamProfileArn is { } profile)
        {
            w.WriteStartElement("iamInstanceProfile");
            Text(w, "arn", profile);
            Text(w, "id", "AIPA" + i.Id[2..].ToUpperInvariant());
            w.WriteEndElement();
        }
        Text(w, "ebsOptimized", "false");
        Text(w, "enaSupport", "true");
        w.WriteStartElement("cpuOptions");
        Text(w, "coreCount", "1");
        Text(w, "threadsPerCore", "2");
        w.WriteEndElement();
        w.WriteStartElement("metadataOptions");
        Text(w, "state", "applied");
        Text(w, "httpTokens", "required");
        Text(w, "httpPutResponseHopLimit", "2");
        Text(w, "httpEndpoint", "enabled");
        w.WriteEndElement();
        Text(w, "platformDetails", i.Platform == "windows" ? "Windows" : "Linux/UNIX");
        Text(w, "usageOperation", i.Platform == "windows" ? "RunInstances:0002" : "RunInstances");
        Text(w, "usageOperationUpdateTime", Time(i.CreatedAt));
        w.WriteEndElement();
    }

    public static void StateChange(XmlWriter w, StateChange change)
    {
        w.WriteStartElement("item");
        Text(w, "instanceId", change.InstanceId);
        State(w, "currentState", change.Current);
        State(w, "previousState", change.Previous);
        w.WriteEndElement();
    }

    public static void Status(XmlWriter w, InstanceView v, DateTimeOffset now)
    {
        var i = v.Instance;
        w.WriteStartElement("item");
        Text(w, "instanceId", i.Id);
        Text(w, "availabilityZone", i.Subnet.AvailabilityZone);
        Text(w, "availabilityZoneId", ZoneId(i.Subnet.AvailabilityZone));
        w.WriteStartElement("eventsSet");
        if (v.Event is { } e)
        {
            w.WriteStartElement("item");
            Text(w, "instanceEventId", e.Id);
            Text(w, "code", e.Code);
            Text(w, "description", e.Description);
            Text(w, "notBefore", Time(e.NotBefore));
            Text(w, "notAfter", Time(e.NotAfter));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        State(w, "instanceState", v.State);
        var system = Ec2Lifecycle.CheckStatus(v.State, v.LaunchTime, null, false, now);
        var instance = Ec2Lifecycle.CheckStatus(v.State, v.LaunchTime, v.RebootedAt, v.ImpairedSince is not null, now);
        Check(w, "systemStatus", system, null);
        Check(w, "instanceStatus", instance, v.ImpairedSince);
        Check(w, "attachedEbsStatus", system, null);
        w.WriteEndElement();
    }

    public static void SecurityGroup(XmlWriter w, Ec2SecurityGroup g, string accountId, string region)
    {
        w.WriteStartElement("item");
        Text(w, "ownerId", accountId);
        Text(w, "groupId", g.Id);
        Text(w, "groupName", g.Name);
        Text(w, "groupDescription", g.Description);
        Text(w, "vpcId", g.VpcId);
        Text(w, "securityGroupArn", $"arn:aws:ec2:{region}:{accountId}:security-group/{g.Id}");
        Rules(w, "ipPermissions", g.Inbound, accountId);
        Rules(w, "ipPermissionsEgress", g.Outbound, accountId);
        Tags(w, g.Tags);
        w.WriteEndElement();
    }

    public static void Vpc(XmlWriter w, Ec2Vpc vpc, string accountId)
    {
        w.WriteStartElement("item");
        Text(w, "vpcId", vpc.Id);
        Text(w, "ownerId", accountId);
        Text(w, "state", "available");
        Text(w, "cidrBlock", vpc.CidrBlock);
        w.WriteStartElement("cidrBlockAssociationSet");
        w.WriteStartElement("item");
        Text(w, "cidrBlock", vpc.CidrBlock);
        Text(w, "associationId", "vpc-cidr-assoc-" + vpc.Id[4..]);
        w.WriteStartElement("cidrBlockState");
        Text(w, "state", "associated");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        Text(w, "dhcpOptionsId", "dopt-" + vpc.Id[4..12]);
        Tags(w, vpc.Tags);
        Text(w, "instanceTenancy", "default");
        Text(w, "isDefault", vpc.IsDefault ? "true" : "false");
        w.WriteEndElement();
    }

    public static void Subnet(XmlWriter w, Ec2Subnet s, int available, string accountId, string region)
    {
        w.WriteStartElement("item");
        Text(w, "subnetId", s.Id);
        Text(w, "subnetArn", $"arn:aws:ec2:{region}:{accountId}:subnet/{s.Id}");
        Text(w, "state", "available");
        Text(w, "ownerId", accountId);
        Text(w, "vpcId", s.VpcId);
        Text(w, "cidrBlock", s.CidrBlock);
        Text(w, "ipv6CidrBlockAssociationSet", "");
        Text(w, "availableIpAddressCount", available.ToString(CultureInfo.InvariantCulture));
        Text(w, "availabilityZone", s.AvailabilityZone);
        Text(w, "availabilityZoneId", ZoneId(s.AvailabilityZone));
        Text(w, "defaultForAz", s.DefaultForAz ? "true" : "false");
        Text(w, "mapPublicIpOnLaunch", s.MapPublicIpOnLaunch ? "true" : "false");
        Tags(w, s.Tags);
        w.WriteEndElement();
    }

    public static void Zone(XmlWriter w, string zone, string region)
    {
        w.WriteStartElement("item");
        Text(w, "zoneName", zone);
        Text(w, "zoneState", "available");
        Text(w, "regionName", region);
        Text(w, "zoneId", ZoneId(zone));
        Text(w, "zoneType", "availability-zone");
        Text(w, "optInStatus", "opt-in-not-required");
        Text(w, "groupName", region);
        Text(w, "networkBorderGroup", region);
        w.WriteElementString("messageSet", "");
        w.WriteEndElement();
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A zone id like AWS's (<c>use1-az1</c>): region initials, number, zone index.</summary>
    public static string ZoneId(string zone)
    {
        var parts = zone[..^1].Split('-');
        var prefix = string.Concat(parts[..^1].Select(p => p.Length > 2 ? p[..1] : p)) + parts[^1];
        return $"{prefix}-az{zone[^1] - 'a' + 1}";
    }

    private static void NetworkInterface(XmlWriter w, InstanceView v, Ec2XmlContext c, string privateDns)
    {
        var (i, accountId, region) = (v.Instance, c.AccountId, c.Region);
        w.WriteStartElement("item");
        Text(w, "networkInterfaceId", i.NetworkInterfaceId);
        Text(w, "subnetId", i.Subnet.Id);
        Text(w, "vpcId", i.Subnet.VpcId);
        Text(w, "description", "");
        Text(w, "ownerId", accountId);
        Text(w, "status", "in-use");
        Text(w, "macAddress", i.MacAddress);
        Text(w, "privateIpAddress", i.PrivateIp);
        Text(w, "privateDnsName", privateDns);
        Text(w, "sourceDestCheck", "true");
        Groups(w, "groupSet", i.SecurityGroupIds, c);
        w.WriteStartElement("attachment");
        Text(w, "attachmentId", "eni-attach-" + i.NetworkInterfaceId[4..]);
        Text(w, "deviceIndex", "0");
        Text(w, "status", "attached");
        Text(w, "attachTime", Time(i.CreatedAt));
        Text(w, "deleteOnTermination", "true");
        Text(w, "networkCardIndex", "0");
        w.WriteEndElement();
        if (v.PublicIp is { } ip) Association(w, ip, region);
        w.WriteStartElement("privateIpAddressesSet");
        w.WriteStartElement("item");
        Text(w, "privateIpAddress", i.PrivateIp);
        Text(w, "privateDnsName", privateDns);
        Text(w, "primary", "true");
        if (v.PublicIp is { } publicIp) Association(w, publicIp, region);
        w.WriteEndElement();
        w.WriteEndElement();
        Text(w, "interfaceType", "interface");
        w.WriteEndElement();
    }

    private static void Association(XmlWriter w, string ip, string region)
    {
        w.WriteStartElement("association");
        Text(w, "publicIp", ip);
        Text(w, "publicDnsName", PublicDns(ip, region));
        Text(w, "ipOwnerId", "amazon");
        w.WriteEndElement();
    }

    private static void Volume(XmlWriter w, string device, string volumeId, DateTimeOffset attached)
    {
        w.WriteStartElement("item");
        Text(w, "deviceName", device);
        w.WriteStartElement("ebs");
        Text(w, "volumeId", volumeId);
        Text(w, "status", "attached");
        Text(w, "attachTime", Time(attached));
        Text(w, "deleteOnTermination", "true");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Rules(XmlWriter w, string name, IReadOnlyList<Ec2Rule> rules, string accountId)
    {
        w.WriteStartElement(name);
        foreach (var r in rules)
        {
            w.WriteStartElement("item");
            Text(w, "ipProtocol", r.Protocol);
            if (r.FromPort is { } from) Text(w, "fromPort", from.ToString(CultureInfo.InvariantCulture));
            if (r.ToPort is { } to) Text(w, "toPort", to.ToString(CultureInfo.InvariantCulture));
            w.WriteStartElement("groups");
            foreach (var g in r.GroupIds)
            {
                w.WriteStartElement("item");
                Text(w, "userId", accountId);
                Text(w, "groupId", g);
                Text(w, "description", r.Description);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            Ranges(w, "ipRanges", "cidrIp", r.Cidrs, r.Description);
            Ranges(w, "ipv6Ranges", "cidrIpv6", r.Ipv6Cidrs, r.Description);
            w.WriteElementString("prefixListIds", "");
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Ranges(XmlWriter w, string name, string element, IReadOnlyList<string> cidrs, string? description)
    {
        w.WriteStartElement(name);
        foreach (var cidr in cidrs)
        {
            w.WriteStartElement("item");
            Text(w, element, cidr);
            Text(w, "description", description);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Check(XmlWriter w, string name, string status, DateTimeOffset? impairedSince)
    {
        w.WriteStartElement(name);
        Text(w, "status", status);
        w.WriteStartElement("details");
        w.WriteStartElement("item");
        Text(w, "name", "reachability");
        Text(w, "status", status switch { "ok" => "passed", "impaired" => "failed", "initializing" => "initializing", _ => "insufficient-data" });
        if (impairedSince is { } since) Text(w, "impairedSince", Time(since));
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void State(XmlWriter w, string name, Ec2State state)
    {
        w.WriteStartElement(name);
        Text(w, "code", state.Code().ToString(CultureInfo.InvariantCulture));
        Text(w, "name", state.Name());
        w.WriteEndElement();
    }

    private static void Groups(XmlWriter w, string name, IReadOnlyList<string> groupIds, Ec2XmlContext c)
    {
        w.WriteStartElement(name);
        foreach (var id in groupIds)
        {
            w.WriteStartElement("item");
            Text(w, "groupId", id);
            Text(w, "groupName", c.GroupNames.GetValueOrDefault(id));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Tags(XmlWriter w, IReadOnlyList<Ec2Tag> tags)
    {
        if (tags.Count == 0) return;
        w.WriteStartElement("tagSet");
        foreach (var tag in tags)
        {
            w.WriteStartElement("item");
            Text(w, "key", tag.Key);
            Text(w, "value", tag.Value);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string name, string? value)
    {
        if (value is not null) w.WriteElementString(name, value);
    }

    private static string PrivateDns(string ip, string region) =>
        $"ip-{ip.Replace('.', '-')}.{(region == "us-east-1" ? "ec2.internal" : region + ".compute.internal")}";

    private static string PublicDns(string ip, string region) =>
        $"ec2-{ip.Replace('.', '-')}.{(region == "us-east-1" ? "compute-1" : region + ".compute")}.amazonaws.com";
}
