using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Prompts;

/// <summary>How an expert looks into a failed or stuck AWS Batch job with the batch tools.</summary>
[McpServerPromptType]
public sealed class BatchPrompts
{
    /// <summary>A failed or stuck job.</summary>
    [McpServerPrompt(Name = "batch_job_troubleshoot", Title = "Find why a Batch job failed or is stuck")]
    [Description("Playbook: why did this Batch job fail, or why does it stay RUNNABLE/STARTING? Diagnosis, attempts, logs, queue and compute environment.")]
    public static string JobTroubleshoot([Description("Batch job id")] string job_id)
    {
        var id = PromptArguments.Check(job_id, nameof(job_id))
            ?? throw new ModelContextProtocol.McpProtocolException("Missing prompt argument 'job_id'.", ModelContextProtocol.McpErrorCode.InvalidParams);
        return $"""
            Find out why the AWS Batch job {id} failed or is stuck, read-only.
            1. batch_job_diagnose job_id={id}: its state, each attempt's exit code and reason, and the likely cause it names.
            2. Failed: batch_job_logs job_id={id}: the last lines before exit (exit 137 = killed, often out of memory: compare with the job definition's memory; "CannotPullContainerError": the image).
            3. Stuck in RUNNABLE: batch_job_queue_list (the queue ENABLED and VALID?) and batch_compute_environment_list (VALID, ENABLED, maxvCpus reached, instance types able to fit the job's vCPUs/memory/GPUs?).
            4. Stuck in STARTING: the container cannot start (image pull, secrets, log configuration): batch_job_describe job_id={id} for the status reason.
            5. batch_job_list for the same queue: do other jobs fail the same way (a systemic cause) or only this one?
            Report the cause with its evidence and the fix. Terminating or resubmitting needs the user's request.
            """;
    }
}
