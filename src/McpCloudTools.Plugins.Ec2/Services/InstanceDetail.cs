using Amazon.EC2.Model;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// An instance as an operator reads it: identity and state first, then what it runs, where it sits on the network,
/// what it may do (IAM, security groups), its disks and tags. Empty facts are left out.
/// </summary>
public static class InstanceDetail
{
    /// <summary>Writes one instance.</summary>
    public static void Write(ToolOutput output, Instance i, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(i);
        var row = InstanceRow.From(i);
        var name = row.Name is null ? "" : $" {row.Name}";
        var since = row.LaunchTime is { } launched && row.State is "running" or "pending"
            ? $", up {Fmt.Age(launched, now)} (launched {Fmt.Time(launched)})"
            : row.LaunchTime is { } last ? $", last launched {Fmt.Time(last)}" : "";
        output.Line($"{row.Id}{name}: {row.State}{since}");
        if (!string.IsNullOrWhiteSpace(i.StateTransitionReason) || i.StateReason?.Message is { Length: > 0 })
            output.Field("state reason", Join("; ", i.StateReason?.Message, i.StateTransitionReason));
        output.Field("type", Join(", ", row.Type, i.Architecture?.Value, i.PlatformDetails ?? i.Platform?.Value,
            i.InstanceLifecycle?.Value is { } lifecycle ? $"{lifecycle} lifecycle" : null));
        output.Field("image", i.ImageId);
        output.Field("key pair", i.KeyName);
        output.Field("placement", Join(", ", row.Zone, i.VpcId, i.SubnetId));
        output.Field("private", Join(" ", i.PrivateIpAddress, Paren(i.PrivateDnsName)));
        output.Field("public", Join(" ", i.PublicIpAddress, Paren(i.PublicDnsName)));
        output.Field("iam profile", i.IamInstanceProfile?.Arn);
        output.Field("security groups", (i.SecurityGroups ?? []).Select(g => Join(" ", g.GroupId, Paren(g.GroupName))).ToList());
        output.Field("metadata", i.MetadataOptions?.HttpTokens?.Value switch
        {
            "required" => "IMDSv2 required",
            "optional" => "IMDSv1 allowed (tokens optional)",
            _ => null,
        });
        var interfaces = (i.NetworkInterfaces ?? []).Select(n => Join(" ", n.NetworkInterfaceId, n.PrivateIpAddress,
            n.Association?.PublicIp is { } ip ? $"public {ip}" : null, n.Attachment?.DeviceIndex is { } d ? $"device {d}" : null)).ToList();
        if (interfaces.Count > 1 || interfaces.Count == 1 && i.NetworkInterfaces![0].PrivateIpAddress != i.PrivateIpAddress)
            output.Field("network interfaces", interfaces);
        else
            output.Field("network interface", interfaces.FirstOrDefault()?.Split(' ')[0]);
        output.Field("block devices", (i.BlockDeviceMappings ?? []).Select(b => Join(" ", b.DeviceName, b.Ebs?.VolumeId,
            b.DeviceName == i.RootDeviceName ? "(root)" : null, b.Ebs?.DeleteOnTermination == false ? "(kept on termination)" : null)).ToList());
        output.Field("tags", (i.Tags ?? []).Where(t => t.Key != "Name").OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}={t.Value}").ToList());
    }

    private static string? Paren(string? value) => string.IsNullOrWhiteSpace(value) ? null : $"({value})";

    private static string? Join(string separator, params string?[] parts)
    {
        var kept = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return kept.Count == 0 ? null : string.Join(separator, kept);
    }
}
