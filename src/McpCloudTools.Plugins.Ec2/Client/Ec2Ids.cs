using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>
/// EC2's id formats: a prefix and 8 or 17 lower-case hex digits (<c>i-0123456789abcdef0</c>). EC2 answers any other
/// form with <c>InvalidInstanceID.Malformed</c> and the like; checking here says so before anything is sent.
/// </summary>
public static partial class Ec2Ids
{
    /// <summary>An instance id.</summary>
    public static NameRule Instance { get; } = Id("an instance id", "i", InstancePattern(), "ec2_instance_list shows them.");

    /// <summary>A VPC id.</summary>
    public static NameRule Vpc { get; } = Id("a VPC id", "vpc", VpcPattern(), "ec2_vpc_list shows them.");

    /// <summary>A security group id.</summary>
    public static NameRule SecurityGroup { get; } = Id("a security group id", "sg", GroupPattern(), "ec2_security_group_list without group_ids lists them.");

    /// <summary>The instance type filter, by the name-filter rule (<c>t3.*</c>, <c>large</c>, <c>m5.large</c>).</summary>
    public static NameRule InstanceTypeFilter { get; } = new("an instance type filter", TypePattern(), 64,
        c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*', "part of an instance type (t3.micro), or a pattern with *: letters, digits, '.', '-', '*', at most 64 characters");

    private static NameRule Id(string subject, string prefix, Regex pattern, string hint) =>
        new(subject, pattern, prefix.Length + 18, c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_',
            $"{prefix}- followed by 8 or 17 lower-case hexadecimal digits ({prefix}-0123456789abcdef0)", hint);

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex InstancePattern();

    [GeneratedRegex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex VpcPattern();

    [GeneratedRegex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.*-]+$")]
    private static partial Regex TypePattern();
}

/// <summary>Which rule a value of an EC2 tool parameter follows.</summary>
public enum Ec2Id
{
    /// <summary><see cref="Ec2Ids.Instance"/>.</summary>
    Instance,

    /// <summary><see cref="Ec2Ids.Vpc"/>.</summary>
    Vpc,

    /// <summary><see cref="Ec2Ids.SecurityGroup"/>.</summary>
    SecurityGroup,

    /// <summary><see cref="Ec2Ids.InstanceTypeFilter"/>.</summary>
    InstanceTypeFilter,
}

/// <summary>Declares that a tool parameter is an EC2 id; the call guard checks it before the tool runs.</summary>
/// <param name="id">Which rule.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class Ec2IdAttribute(Ec2Id id) : ArgumentRuleAttribute
{
    /// <summary>Which rule.</summary>
    public Ec2Id Id => id;

    /// <inheritdoc />
    public override ArgumentRule Rule => id switch
    {
        Ec2Id.Instance => Ec2Ids.Instance,
        Ec2Id.Vpc => Ec2Ids.Vpc,
        Ec2Id.SecurityGroup => Ec2Ids.SecurityGroup,
        Ec2Id.InstanceTypeFilter => Ec2Ids.InstanceTypeFilter,
        _ => throw new ArgumentOutOfRangeException(nameof(id)),
    };
}
