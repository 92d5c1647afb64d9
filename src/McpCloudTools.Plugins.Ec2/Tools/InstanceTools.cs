using System.ComponentModel;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Ec2.Client;
using McpCloudTools.Plugins.Ec2.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Ec2.Tools;

/// <summary>Read tools over instances: list, describe, status checks.</summary>
public sealed class InstanceTools(PluginRouter<Ec2Plugin> router, InstanceService instances, StatusService status)
{
    /// <summary><c>ec2_instance_list</c>.</summary>
    [McpServerTool(Name = "ec2_instance_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("EC2 instances: counts by state, then one compact row each. Detail: ec2_instance_describe.")]
    public async Task<string> List(
        [Description("States, comma-separated (running,stopped)"), Text(128)] string? state = null,
        [Description("Instance type. " + ToolParams.NameFilter), Ec2Id(Ec2Id.InstanceTypeFilter)] string? type = null,
        [Description("key, or key=value; value: " + ToolParams.NameFilter), Text(384, Subject = "a tag filter")] string? tag = null,
        [Description("VPC id"), Ec2Id(Ec2Id.Vpc)] string? vpc_id = null,
        [Description("Name tag or id. " + ToolParams.NameFilter), Text(256, Subject = "a Name filter")] string? name = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var filter = InstanceFilter.Parse(state, type, tag, vpc_id, name);
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 1000);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await instances.ListAsync(context, filter, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_instance_describe</c>.</summary>
    [McpServerTool(Name = "ec2_instance_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Instance detail: image, key, IAM profile, security groups, network, disks, tags, state reason.")]
    public async Task<string> Describe(
        [Description("Instance ids"), Ec2Id(Ec2Id.Instance)] string[] instance_ids,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await instances.DescribeAsync(context, instance_ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_instance_status</c>.</summary>
    [McpServerTool(Name = "ec2_instance_status", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Status checks and scheduled events; impaired first.")]
    public async Task<string> Status(
        [Description("Instance ids; default: all"), Ec2Id(Ec2Id.Instance)] string[]? instance_ids = null,
        [Description("Include non-running")] bool include_all = false,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 200);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await status.StatusAsync(context, instance_ids, include_all, page, cancellationToken).ConfigureAwait(false);
    }
}
