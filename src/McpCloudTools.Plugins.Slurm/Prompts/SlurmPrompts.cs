using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Slurm.Prompts;

/// <summary>How an expert looks into a pending or failed Slurm job with the slurm tools.</summary>
[McpServerPromptType]
public sealed class SlurmPrompts
{
    /// <summary>A pending or failed job.</summary>
    [McpServerPrompt(Name = "slurm_job_troubleshoot", Title = "Find why a Slurm job is pending or failed")]
    [Description("Playbook: why is this Slurm job pending, or why did it fail? The pending reason, partition and nodes, exit code and limits.")]
    public static string JobTroubleshoot(
        [Description("Slurm job id")] string job_id,
        [Description("Cluster id from clusters_list (slurm:<name>); default the active cluster")] string? cluster_id = null)
    {
        var id = PromptArguments.Check(job_id, nameof(job_id))
            ?? throw new ModelContextProtocol.McpProtocolException("Missing prompt argument 'job_id'.", ModelContextProtocol.McpErrorCode.InvalidParams);
        var target = PromptArguments.With(PromptArguments.Check(cluster_id, nameof(cluster_id)), "cluster_id");
        return $"""
            Find out why the Slurm job {id} is pending or failed{(target.Length == 0 ? "" : " on" + target)}, read-only.
            1. slurm_job_diagnose job_id={id}{target}: state, reason, exit code, and the likely cause it names.
            2. Pending: the reason decides. Resources/Priority: slurm_partition_list{target} and slurm_node_list{target} (idle nodes? drained or down ones and why?). ReqNodeNotAvail or PartitionDown: the nodes or partition named. QOSMaxCpuPerUserLimit or AssocGrpCpuLimit: the user's limits, not the cluster. Dependency: the job it waits for (slurm_job_describe).
            3. Failed: slurm_job_describe job_id={id}{target}: exit code and signal (9 = killed, often memory: the requested memory; TIMEOUT: the time limit against the elapsed time; NODE_FAIL: the node's state in slurm_node_list).
            4. slurm_job_list{target} for the same user or partition: one job or many?
            Report the cause with its evidence and the fix. Cancelling or resubmitting needs the user's request.
            """;
    }
}
