namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>The six instance states with the codes EC2 sends beside them.</summary>
internal enum Ec2State
{
    /// <summary>Launching or starting (code 0).</summary>
    Pending,

    /// <summary>Running (code 16).</summary>
    Running,

    /// <summary>Being terminated (code 32).</summary>
    ShuttingDown,

    /// <summary>Gone; still listed for about an hour (code 48).</summary>
    Terminated,

    /// <summary>Being stopped (code 64).</summary>
    Stopping,

    /// <summary>Stopped (code 80).</summary>
    Stopped,
}

/// <summary>Wire names and codes of <see cref="Ec2State"/>.</summary>
internal static class Ec2States
{
    /// <summary>The state's wire name, e.g. <c>shutting-down</c>.</summary>
    public static string Name(this Ec2State state) => state switch
    {
        Ec2State.Pending => "pending",
        Ec2State.Running => "running",
        Ec2State.ShuttingDown => "shutting-down",
        Ec2State.Terminated => "terminated",
        Ec2State.Stopping => "stopping",
        _ => "stopped",
    };

    /// <summary>The state's code (the low byte of EC2's <c>instanceState/code</c>).</summary>
    public static int Code(this Ec2State state) => state switch
    {
        Ec2State.Pending => 0,
        Ec2State.Running => 16,
        Ec2State.ShuttingDown => 32,
        Ec2State.Terminated => 48,
        Ec2State.Stopping => 64,
        _ => 80,
    };
}

/// <summary>A tag.</summary>
internal sealed record Ec2Tag(string Key, string Value);

/// <summary>A VPC.</summary>
internal sealed record Ec2Vpc(string Id, string CidrBlock, bool IsDefault, IReadOnlyList<Ec2Tag> Tags);

/// <summary>A subnet; <paramref name="OtherUsedIps"/> stands for ENIs of other services (Lambda, EKS pods, load balancers).</summary>
internal sealed record Ec2Subnet(string Id, string VpcId, string AvailabilityZone, string CidrBlock, bool MapPublicIpOnLaunch,
    bool DefaultForAz, int OtherUsedIps, IReadOnlyList<Ec2Tag> Tags)
{
    /// <summary>Addresses in the CIDR block.</summary>
    public int Size => 1 << (32 - int.Parse(CidrBlock.AsSpan(CidrBlock.IndexOf('/', StringComparison.Ordinal) + 1),
        System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One security group rule: a protocol and port range open to CIDRs or other groups.</summary>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c>, <c>icmp</c> or <c>-1</c> (all).</param>
/// <param name="FromPort">First port (null for all traffic).</param>
/// <param name="ToPort">Last port.</param>
/// <param name="Cidrs">IPv4 ranges.</param>
/// <param name="Ipv6Cidrs">IPv6 ranges.</param>
/// <param name="GroupIds">Source or destination groups.</param>
/// <param name="Description">Rule description.</param>
internal sealed record Ec2Rule(string Protocol, int? FromPort, int? ToPort, IReadOnlyList<string> Cidrs,
    IReadOnlyList<string> Ipv6Cidrs, IReadOnlyList<string> GroupIds, string? Description = null);

/// <summary>A security group.</summary>
internal sealed record Ec2SecurityGroup(string Id, string Name, string Description, string VpcId,
    IReadOnlyList<Ec2Rule> Inbound, IReadOnlyList<Ec2Rule> Outbound, IReadOnlyList<Ec2Tag> Tags);

/// <summary>A scheduled event (maintenance, retirement) on an instance.</summary>
internal sealed record Ec2ScheduledEvent(string Id, string Code, string Description, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// An instance. Fixed facts are init-only; the state fields change under the store's lock only, as actions and
/// sandbox time move the instance on.
/// </summary>
internal sealed class Ec2Instance
{
    /// <summary><c>i-</c> and 17 hex digits.</summary>
    public required string Id { get; init; }

    /// <summary><c>r-</c> id shared by instances launched together.</summary>
    public required string ReservationId { get; init; }

    /// <summary>AMI.</summary>
    public required string ImageId { get; init; }

    /// <summary>e.g. <c>t3.micro</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Key pair name, if any.</summary>
    public string? KeyName { get; init; }

    /// <summary>The subnet (and so VPC and AZ).</summary>
    public required Ec2Subnet Subnet { get; init; }

    /// <summary>Primary private address.</summary>
    public required string PrivateIp { get; init; }

    /// <summary>Public address while running, if the instance has one.</summary>
    public string? PublicIp { get; init; }

    /// <summary><c>x86_64</c> or <c>arm64</c>.</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary><c>windows</c> for Windows instances, else null.</summary>
    public string? Platform { get; init; }

    /// <summary>IAM instance profile ARN.</summary>
    public string? IamProfileArn { get; init; }

    /// <summary>Security group ids.</summary>
    public required IReadOnlyList<string> SecurityGroupIds { get; init; }

    /// <summary>Tags.</summary>
    public required IReadOnlyList<Ec2Tag> Tags { get; init; }

    /// <summary><c>spot</c> for Spot instances, else null.</summary>
    public string? Lifecycle { get; init; }

    /// <summary>Root EBS volume.</summary>
    public required string RootVolumeId { get; init; }

    /// <summary>Extra data volumes (device name, volume id).</summary>
    public List<(string Device, string VolumeId)> DataVolumes { get; } = [];

    /// <summary>Primary network interface.</summary>
    public required string NetworkInterfaceId { get; init; }

    /// <summary>MAC of the primary interface.</summary>
    public required string MacAddress { get; init; }

    /// <summary>When it was first launched (attachment times).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Current state (as of the last settle).</summary>
    public Ec2State State { get; set; }

    /// <summary>When the current state began.</summary>
    public DateTimeOffset StateSince { get; set; }

    /// <summary>Last launch or start.</summary>
    public DateTimeOffset LaunchTime { get; set; }

    /// <summary>Why the last transition happened (EC2's <c>reason</c>).</summary>
    public string? TransitionReason { get; set; }

    /// <summary>Code and message of <c>stateReason</c>.</summary>
    public (string Code, string Message)? StateReason { get; set; }

    /// <summary>Since when the instance reachability check fails; null when it passes.</summary>
    public DateTimeOffset? ImpairedSince { get; set; }

    /// <summary>A scheduled event, if any.</summary>
    public Ec2ScheduledEvent? ScheduledEvent { get; set; }

    /// <summary>Last reboot request: status checks initialise again for a while.</summary>
    public DateTimeOffset? RebootedAt { get; set; }

    /// <summary>The Name tag, or null.</summary>
    public string? Name => Tags.FirstOrDefault(t => t.Key == "Name")?.Value;
}
