using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;
using McpCloudTools.Plugins.Ec2.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Ec2.Tools;

/// <summary>State changes: start, stop, reboot (write) and terminate (destructive), each with EC2's own dry run.</summary>
public sealed class InstanceActionTools(PluginRouter<Ec2Plugin> router, ActionService actions)
{
    private const string Ids = "Instance ids, up to 50";

    /// <summary><c>ec2_instance_start</c>.</summary>
    [McpServerTool(Name = "ec2_instance_start", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Start stopped instances; returns the state transitions.")]
    public async Task<string> Start(
        [Description(Ids), Ec2Id(Ec2Id.Instance)] string[] instance_ids,
        [Description(ToolParams.DryRun)] bool dry_run = false,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await actions.StartAsync(context, instance_ids, dry_run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_instance_stop</c>.</summary>
    [McpServerTool(Name = "ec2_instance_stop", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Stop running instances (EBS kept); returns the state transitions.")]
    public async Task<string> Stop(
        [Description(Ids), Ec2Id(Ec2Id.Instance)] string[] instance_ids,
        [Description("For an instance stuck stopping")] bool force = false,
        [Description(ToolParams.DryRun)] bool dry_run = false,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await actions.StopAsync(context, instance_ids, force, dry_run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_instance_reboot</c>.</summary>
    [McpServerTool(Name = "ec2_instance_reboot", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Reboot running instances; they stay running.")]
    public async Task<string> Reboot(
        [Description(Ids), Ec2Id(Ec2Id.Instance)] string[] instance_ids,
        [Description(ToolParams.DryRun)] bool dry_run = false,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await actions.RebootAsync(context, instance_ids, dry_run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>ec2_instance_terminate</c>.</summary>
    [McpServerTool(Name = "ec2_instance_terminate", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Terminate instances: permanent, root volumes deleted. Try dry_run first.")]
    public async Task<string> Terminate(
        [Description(Ids), Ec2Id(Ec2Id.Instance)] string[] instance_ids,
        [Description(ToolParams.DryRun)] bool dry_run = false,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await actions.TerminateAsync(context, instance_ids, dry_run, cancellationToken).ConfigureAwait(false);
    }
}
