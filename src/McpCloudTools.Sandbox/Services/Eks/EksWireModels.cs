using System.Text.Json.Serialization;

namespace McpCloudTools.Sandbox.Services.Eks;

// EKS 2017-11-01 restJson1 shapes as the service writes them (botocore model): camelCase members, timestamps as
// epoch seconds with a fraction, absent members left out.

/// <summary>An EKS cluster on the wire.</summary>
public sealed class ClusterWire
{
    public string? Name { get; set; }
    public string? Arn { get; set; }
    public double? CreatedAt { get; set; }
    public string? Version { get; set; }
    public string? Endpoint { get; set; }
    public string? RoleArn { get; set; }
    public VpcConfigWire? ResourcesVpcConfig { get; set; }
    public NetworkConfigWire? KubernetesNetworkConfig { get; set; }
    public LoggingWire? Logging { get; set; }
    public IdentityWire? Identity { get; set; }
    public string? Status { get; set; }
    public CertificateWire? CertificateAuthority { get; set; }
    public string? PlatformVersion { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public HealthWire? Health { get; set; }
    public AccessConfigWire? AccessConfig { get; set; }
    public UpgradePolicyWire? UpgradePolicy { get; set; }
}

public sealed class VpcConfigWire
{
    public List<string>? SubnetIds { get; set; }
    public List<string>? SecurityGroupIds { get; set; }
    public string? ClusterSecurityGroupId { get; set; }
    public string? VpcId { get; set; }
    public bool EndpointPublicAccess { get; set; }
    public bool EndpointPrivateAccess { get; set; }
    public List<string>? PublicAccessCidrs { get; set; }
}

public sealed class NetworkConfigWire
{
    public string? ServiceIpv4Cidr { get; set; }
    public string? IpFamily { get; set; }
}

public sealed class LoggingWire
{
    public List<LogSetupWire>? ClusterLogging { get; set; }
}

public sealed class LogSetupWire
{
    public List<string>? Types { get; set; }
    public bool Enabled { get; set; }
}

public sealed class IdentityWire
{
    public OidcWire? Oidc { get; set; }
}

public sealed class OidcWire
{
    public string? Issuer { get; set; }
}

public sealed class CertificateWire
{
    public string? Data { get; set; }
}

public sealed class HealthWire
{
    public List<IssueWire>? Issues { get; set; }
}

public sealed class IssueWire
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public List<string>? ResourceIds { get; set; }
}

public sealed class AccessConfigWire
{
    public string? AuthenticationMode { get; set; }
    public bool? BootstrapClusterCreatorAdminPermissions { get; set; }
}

public sealed class UpgradePolicyWire
{
    public string? SupportType { get; set; }
}

/// <summary>A managed node group on the wire.</summary>
public sealed class NodegroupWire
{
    public string? NodegroupName { get; set; }
    public string? NodegroupArn { get; set; }
    public string? ClusterName { get; set; }
    public string? Version { get; set; }
    public string? ReleaseVersion { get; set; }
    public double? CreatedAt { get; set; }
    public double? ModifiedAt { get; set; }
    public string? Status { get; set; }
    public string? CapacityType { get; set; }
    public ScalingConfigWire? ScalingConfig { get; set; }
    public List<string>? InstanceTypes { get; set; }
    public List<string>? Subnets { get; set; }
    public string? AmiType { get; set; }
    public string? NodeRole { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<TaintWire>? Taints { get; set; }
    public NodegroupResourcesWire? Resources { get; set; }
    public int? DiskSize { get; set; }
    public HealthWire? Health { get; set; }
    public UpdateConfigWire? UpdateConfig { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class ScalingConfigWire
{
    public int? MinSize { get; set; }
    public int? MaxSize { get; set; }
    public int? DesiredSize { get; set; }
}

public sealed class TaintWire
{
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }
}

public sealed class NodegroupResourcesWire
{
    public List<AutoScalingGroupWire>? AutoScalingGroups { get; set; }
}

public sealed class AutoScalingGroupWire
{
    public string? Name { get; set; }
}

public sealed class UpdateConfigWire
{
    public int? MaxUnavailable { get; set; }
    public int? MaxUnavailablePercentage { get; set; }
}

/// <summary>An add-on on the wire.</summary>
public sealed class AddonWire
{
    public string? AddonName { get; set; }
    public string? ClusterName { get; set; }
    public string? Status { get; set; }
    public string? AddonVersion { get; set; }
    public HealthWire? Health { get; set; }
    public string? AddonArn { get; set; }
    public double? CreatedAt { get; set; }
    public double? ModifiedAt { get; set; }
    public string? ServiceAccountRoleArn { get; set; }
    public string? Owner { get; set; }
    public string? Publisher { get; set; }
}

/// <summary>An asynchronous update on the wire.</summary>
public sealed class UpdateWire
{
    public string? Id { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public List<UpdateParamWire>? Params { get; set; }
    public double? CreatedAt { get; set; }
    public List<ErrorDetailWire>? Errors { get; set; }
}

public sealed class UpdateParamWire
{
    public string? Type { get; set; }
    public string? Value { get; set; }
}

public sealed class ErrorDetailWire
{
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public List<string>? ResourceIds { get; set; }
}

public sealed class ListClustersOutput
{
    public List<string> Clusters { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeClusterOutput
{
    public ClusterWire? Cluster { get; set; }
}

public sealed class ListNodegroupsOutput
{
    public List<string> Nodegroups { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeNodegroupOutput
{
    public NodegroupWire? Nodegroup { get; set; }
}

public sealed class ListAddonsOutput
{
    public List<string> Addons { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeAddonOutput
{
    public AddonWire? Addon { get; set; }
}

public sealed class UpdateNodegroupConfigInput
{
    public ScalingConfigWire? ScalingConfig { get; set; }
    public string? ClientRequestToken { get; set; }
}

public sealed class UpdateOutput
{
    public UpdateWire? Update { get; set; }
}

/// <summary>Source-generated JSON for the sandbox's EKS wire shapes (kept beside the service so plugins merge cleanly).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ListClustersOutput))]
[JsonSerializable(typeof(DescribeClusterOutput))]
[JsonSerializable(typeof(ListNodegroupsOutput))]
[JsonSerializable(typeof(DescribeNodegroupOutput))]
[JsonSerializable(typeof(ListAddonsOutput))]
[JsonSerializable(typeof(DescribeAddonOutput))]
[JsonSerializable(typeof(UpdateNodegroupConfigInput))]
[JsonSerializable(typeof(UpdateOutput))]
[JsonSerializable(typeof(Kube.KubeTable))]
[JsonSerializable(typeof(Kube.KubeVersionInfo))]
[JsonSerializable(typeof(Kube.KubeStatus))]
internal sealed partial class EksSandboxJsonContext : JsonSerializerContext;
