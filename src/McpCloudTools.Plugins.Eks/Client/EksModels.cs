using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpCloudTools.Plugins.Eks.Client;

// Request and response shapes of EKS 2017-11-01, named as in AWSSDK.EKS so that moving to the official package is a
// change of using directives. Only the members the plugin reads are modelled; unknown members are ignored.

public sealed class ListClustersRequest
{
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

public sealed class ListClustersResponse
{
    public List<string> Clusters { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeClusterRequest
{
    public string Name { get; set; } = "";
}

public sealed class DescribeClusterResponse
{
    public Cluster? Cluster { get; set; }
}

public sealed class Cluster
{
    public string? Name { get; set; }
    public string? Arn { get; set; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreatedAt { get; set; }
    public string? Version { get; set; }
    public string? PlatformVersion { get; set; }
    public string? Endpoint { get; set; }
    public string? Status { get; set; }
    public VpcConfigResponse? ResourcesVpcConfig { get; set; }
    public KubernetesNetworkConfigResponse? KubernetesNetworkConfig { get; set; }
    public Logging? Logging { get; set; }
    public Identity? Identity { get; set; }
    public Certificate? CertificateAuthority { get; set; }
    public ClusterHealth? Health { get; set; }
    public AccessConfigResponse? AccessConfig { get; set; }
    public UpgradePolicyResponse? UpgradePolicy { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class VpcConfigResponse
{
    public string? VpcId { get; set; }
    public List<string>? SubnetIds { get; set; }
    public string? ClusterSecurityGroupId { get; set; }
    public bool? EndpointPublicAccess { get; set; }
    public bool? EndpointPrivateAccess { get; set; }
    public List<string>? PublicAccessCidrs { get; set; }
}

public sealed class KubernetesNetworkConfigResponse
{
    public string? ServiceIpv4Cidr { get; set; }
    public string? IpFamily { get; set; }
}

public sealed class Logging
{
    public List<LogSetup>? ClusterLogging { get; set; }
}

public sealed class LogSetup
{
    public List<string>? Types { get; set; }
    public bool? Enabled { get; set; }
}

public sealed class Identity
{
    public Oidc? Oidc { get; set; }
}

public sealed class Oidc
{
    public string? Issuer { get; set; }
}

public sealed class Certificate
{
    public string? Data { get; set; }
}

public sealed class ClusterHealth
{
    public List<Issue>? Issues { get; set; }
}

public sealed class AccessConfigResponse
{
    public string? AuthenticationMode { get; set; }
}

public sealed class UpgradePolicyResponse
{
    public string? SupportType { get; set; }
}

/// <summary>A health issue of a cluster, node group or add-on.</summary>
public sealed class Issue
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public List<string>? ResourceIds { get; set; }
}

public sealed class ListNodegroupsRequest
{
    public string ClusterName { get; set; } = "";
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

public sealed class ListNodegroupsResponse
{
    public List<string> Nodegroups { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeNodegroupRequest
{
    public string ClusterName { get; set; } = "";
    public string NodegroupName { get; set; } = "";
}

public sealed class DescribeNodegroupResponse
{
    public Nodegroup? Nodegroup { get; set; }
}

public sealed class Nodegroup
{
    public string? NodegroupName { get; set; }
    public string? NodegroupArn { get; set; }
    public string? Version { get; set; }
    public string? ReleaseVersion { get; set; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? ModifiedAt { get; set; }
    public string? Status { get; set; }
    public string? CapacityType { get; set; }
    public NodegroupScalingConfig? ScalingConfig { get; set; }
    public List<string>? InstanceTypes { get; set; }
    public string? AmiType { get; set; }
    public int? DiskSize { get; set; }
    public List<string>? Subnets { get; set; }
    public string? NodeRole { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<Taint>? Taints { get; set; }
    public NodegroupResources? Resources { get; set; }
    public NodegroupHealth? Health { get; set; }
    public NodegroupUpdateConfig? UpdateConfig { get; set; }
}

public sealed class NodegroupScalingConfig
{
    public int? MinSize { get; set; }
    public int? MaxSize { get; set; }
    public int? DesiredSize { get; set; }
}

public sealed class Taint
{
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }
}

public sealed class NodegroupResources
{
    public List<AutoScalingGroup>? AutoScalingGroups { get; set; }
}

public sealed class AutoScalingGroup
{
    public string? Name { get; set; }
}

public sealed class NodegroupHealth
{
    public List<Issue>? Issues { get; set; }
}

public sealed class NodegroupUpdateConfig
{
    public int? MaxUnavailable { get; set; }
    public int? MaxUnavailablePercentage { get; set; }
}

public sealed class UpdateNodegroupConfigRequest
{
    [JsonIgnore]
    public string ClusterName { get; set; } = "";
    [JsonIgnore]
    public string NodegroupName { get; set; } = "";
    public NodegroupScalingConfig? ScalingConfig { get; set; }
    public string? ClientRequestToken { get; set; }
}

public sealed class UpdateNodegroupConfigResponse
{
    public Update? Update { get; set; }
}

public sealed class DescribeUpdateRequest
{
    public string Name { get; set; } = "";
    public string UpdateId { get; set; } = "";
    public string? NodegroupName { get; set; }
    public string? AddonName { get; set; }
}

public sealed class DescribeUpdateResponse
{
    public Update? Update { get; set; }
}

/// <summary>An asynchronous change (InProgress → Successful, Failed or Cancelled).</summary>
public sealed class Update
{
    public string? Id { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public List<UpdateParam>? Params { get; set; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreatedAt { get; set; }
    public List<ErrorDetail>? Errors { get; set; }
}

public sealed class UpdateParam
{
    public string? Type { get; set; }
    public string? Value { get; set; }
}

public sealed class ErrorDetail
{
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public List<string>? ResourceIds { get; set; }
}

public sealed class ListAddonsRequest
{
    public string ClusterName { get; set; } = "";
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

public sealed class ListAddonsResponse
{
    public List<string> Addons { get; set; } = [];
    public string? NextToken { get; set; }
}

public sealed class DescribeAddonRequest
{
    public string ClusterName { get; set; } = "";
    public string AddonName { get; set; } = "";
}

public sealed class DescribeAddonResponse
{
    public Addon? Addon { get; set; }
}

public sealed class Addon
{
    public string? AddonName { get; set; }
    public string? Status { get; set; }
    public string? AddonVersion { get; set; }
    public AddonHealth? Health { get; set; }
    public string? ServiceAccountRoleArn { get; set; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? ModifiedAt { get; set; }
}

public sealed class AddonHealth
{
    public List<Issue>? Issues { get; set; }
}

/// <summary>restJson1 timestamps: epoch seconds as a JSON number, possibly with a fraction (an ISO string is tolerated).</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000)),
        JsonTokenType.String when DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v) writer.WriteNumberValue(v.ToUnixTimeMilliseconds() / 1000.0);
        else writer.WriteNullValue();
    }
}
