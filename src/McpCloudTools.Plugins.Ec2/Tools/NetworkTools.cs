using System.ComponentModel;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;
using McpCloudTools.Plugins.Ec2.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Ec2.Tools;

/// <summary>Read tools over the network: security groups, VPCs, subnets.</summary>
public sealed class NetworkTools(PluginRouter<Ec2Plugin> router, NetworkService network)
{
    /// <summary><c>ec2_security_group_list</c>.</summary>
    [McpServerTool(Name = "ec2_security_group_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Security groups, rules in brief; internet-exposed SSH, RDP or database ports first.")]
    public async Task<string> SecurityGroups(
        [Description("VPC id"), Ec2Id(Ec2Id.Vpc)] string? vpc_id = null,
        [Description("Group ids"), Ec2Id(Ec2Id.SecurityGroup)] string[]? group_ids = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 200);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await network.SecurityGroupsAsync(context, vpc_id, group_ids, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_vpc_list</c>.</summary>
    [McpServerTool(Name = "ec2_vpc_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("VPCs with CIDR, subnet count and free addresses.")]
    public async Task<string> Vpcs(
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 500);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await network.VpcsAsync(context, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_subnet_list</c>.</summary>
    [McpServerTool(Name = "ec2_subnet_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Subnets with free/usable IPs, the fullest first.")]
    public async Task<string> Subnets(
        [Description("VPC id"), Ec2Id(Ec2Id.Vpc)] string? vpc_id = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 500);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await network.SubnetsAsync(context, vpc_id, page, cancellationToken).ConfigureAwait(false);
    }
}
