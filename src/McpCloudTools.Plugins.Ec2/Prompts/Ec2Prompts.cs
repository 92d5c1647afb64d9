using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Ec2.Prompts;

/// <summary>How an expert looks into an impaired EC2 instance with the ec2 tools.</summary>
[McpServerPromptType]
public sealed class Ec2Prompts
{
    /// <summary>An impaired instance.</summary>
    [McpServerPrompt(Name = "ec2_instance_troubleshoot", Title = "Find why an EC2 instance is impaired")]
    [Description("Playbook: why is this instance impaired or unreachable? Status checks, scheduled events, state reason, network and security groups.")]
    public static string InstanceTroubleshoot(
        [Description("Instance id (i-…) or Name tag")] string instance_id,
        [Description("Plugin instance (account/region) from plugins_list; default the first enabled")] string? instance = null)
    {
        var id = PromptArguments.Check(instance_id, nameof(instance_id))
            ?? throw new ModelContextProtocol.McpProtocolException("Missing prompt argument 'instance_id'.", ModelContextProtocol.McpErrorCode.InvalidParams);
        var account = PromptArguments.With(PromptArguments.Check(instance, nameof(instance)), "instance");
        var ids = id.StartsWith("i-", StringComparison.Ordinal) ? $"instance_ids=[\"{id}\"]" : $"name={id}";
        return $"""
            Find out why the EC2 instance {id} is impaired or unreachable{(account.Length == 0 ? "" : " (" + account.Trim() + ")")}, read-only.
            1. ec2_instance_list {ids}{account}: its state, type, zone, private/public IP. If it is a name, take the instance id from here.
            2. ec2_instance_status for it{account}: system check (AWS hardware/network: a stop and start moves it to new hardware) versus instance check (the OS: boot, disk full, kernel, network config); scheduled events (retirement, reboot) and their dates.
            3. ec2_instance_describe for it{account}: state reason and transition time, launch time, IAM profile, block devices, the security groups and subnet.
            4. Unreachable but checks pass: ec2_security_group_list for its groups (is the port open to the caller?), ec2_subnet_list and ec2_vpc_list (public subnet, route, public IP).
            Report the cause with its evidence and the least disruptive fix. Reboot, stop/start or terminate only on the user's request.
            """;
    }
}
