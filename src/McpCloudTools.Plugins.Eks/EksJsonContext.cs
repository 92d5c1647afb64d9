using System.Text.Json.Serialization;
using McpCloudTools.Plugins.Eks.Client;

namespace McpCloudTools.Plugins.Eks;

/// <summary>Source-generated JSON for the plugin's own EKS client (restJson1 bodies, camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ListClustersResponse))]
[JsonSerializable(typeof(DescribeClusterResponse))]
[JsonSerializable(typeof(ListNodegroupsResponse))]
[JsonSerializable(typeof(DescribeNodegroupResponse))]
[JsonSerializable(typeof(UpdateNodegroupConfigRequest))]
[JsonSerializable(typeof(UpdateNodegroupConfigResponse))]
[JsonSerializable(typeof(DescribeUpdateResponse))]
[JsonSerializable(typeof(ListAddonsResponse))]
[JsonSerializable(typeof(DescribeAddonResponse))]
internal sealed partial class EksJsonContext : JsonSerializerContext;
