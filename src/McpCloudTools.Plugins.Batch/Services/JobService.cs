using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>One job: describe it, and cancel or terminate it with an answer that says what that did in its state.</summary>
internal sealed class JobService(BatchTargets targets, TimeProvider time)
{
    // AWS requires a reason; it shows as the job's status reason, so it says who stopped the job.
    public const string CancelReason = "Cancelled with batch_job_cancel (McpCloudTools)";
    public const string TerminateReason = "Terminated with batch_job_terminate (McpCloudTools)";

    private static readonly string[] NotStarted = ["SUBMITTED", "PENDING", "RUNNABLE"];

    public async Task<string> DescribeAsync(string job_id, CancellationToken cancellationToken)
    {
        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        var dependencies = await connection.Batch.DescribeJobsInBatchesAsync(
            (job.DependsOn ?? []).Select(d => d.JobId ?? ""), cancellationToken).ConfigureAwait(false);
        return JobDetailText.Describe(job, dependencies, time.GetUtcNow());
    }

    public async Task<string> CancelAsync(string job_id, CancellationToken cancellationToken)
    {
        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        RefuseFinished(job, "cancel");
        if (!NotStarted.Contains(job.Status))
        {
            throw new ToolException($"Job {job.JobId} is {job.Status}: CancelJob only stops jobs that have not started (SUBMITTED, PENDING, RUNNABLE); " +
                "AWS would accept the call and do nothing, so nothing was changed. To stop a started job use batch_job_terminate (it ends FAILED).");
        }

        await connection.Batch.CancelJobAsync(new CancelJobRequest { JobId = job.JobId, Reason = CancelReason }, cancellationToken)
            .ConfigureAwait(false);
        var what = JobText.IsArrayParent(job)
            ? "children that have not started are cancelled; children already STARTING or RUNNING keep running (batch_job_terminate stops them)"
            : job.Status == "PENDING"
                ? "a PENDING job is cancelled once the jobs it depends on have finished"
                : "the job will not run and ends FAILED";
        return await AfterAsync(connection, job, "cancel requested", what, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> TerminateAsync(string job_id, CancellationToken cancellationToken)
    {
        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        RefuseFinished(job, "terminate");
        await connection.Batch.TerminateJobAsync(new TerminateJobRequest { JobId = job.JobId, Reason = TerminateReason }, cancellationToken)
            .ConfigureAwait(false);
        var what = JobText.IsArrayParent(job)
            ? "every child is stopped: running ones are killed and end FAILED, the others are cancelled"
            : NotStarted.Contains(job.Status)
                ? "it had not started, so terminating cancels it (same as batch_job_cancel); it ends FAILED"
                : "its container is stopped (SIGTERM, then SIGKILL) and the job ends FAILED; it is not retried";
        return await AfterAsync(connection, job, "terminate requested", what, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> AfterAsync(BatchConnection connection, JobDetail before, string action, string what, CancellationToken cancellationToken)
    {
        var after = await connection.Batch.JobAsync(before.JobId, cancellationToken).ConfigureAwait(false);
        var o = new ToolOutput().Line($"{action} for job {before.JobId} ({before.JobName}), which was {before.Status}: {what}.");
        if (after is not null)
        {
            o.Line(after.Status == before.Status
                ? $"now: still {after.Status} (Batch applies it asynchronously; batch_job_wait follows it)"
                : $"now: {after.Status}" + (after.StatusReason is { Length: > 0 } r ? $" ({r})" : ""));
            if (JobDetailText.Array(after) is { } array)
            {
                o.Field("array", array);
            }
        }

        return o.ToString();
    }

    private static void RefuseFinished(JobDetail job, string verb)
    {
        if (JobText.IsFinal(job.Status))
        {
            var when = JobText.Time(job.StoppedAt) is { } t ? $" at {Fmt.Time(t)}" : "";
            throw new ToolException($"Job {job.JobId} already ended {job.Status}{when}; there is nothing to {verb}. Nothing was changed.");
        }
    }
}
