using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// Gathers what diagnosis needs in parallel (the job's queue and compute environments, its dependencies, a failed
/// child of an array, the last log lines), then asks <see cref="JobDiagnosis"/> for the likely cause.
/// </summary>
internal sealed class DiagnoseService(BatchTargets targets, TimeProvider time)
{
    private const int LogLines = 12;

    public async Task<string> DiagnoseAsync(string job_id, CancellationToken cancellationToken)
    {
        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        var batch = connection.Batch;

        var queueTask = job.Status == "SUCCEEDED" || job.JobQueue is null
            ? Task.FromResult<JobQueueDetail?>(null)
            : batch.JobQueueAsync(job.JobQueue, cancellationToken);
        var dependenciesTask = batch.DescribeJobsInBatchesAsync((job.DependsOn ?? []).Select(d => d.JobId ?? ""), cancellationToken);
        var childTask = FailedChildAsync(batch, job, cancellationToken);
        await Task.WhenAll(queueTask, dependenciesTask, childTask).ConfigureAwait(false);
        var queue = await queueTask.ConfigureAwait(false);
        var child = await childTask.ConfigureAwait(false);
        var arns = (queue?.ComputeEnvironmentOrder ?? []).Select(o => o.ComputeEnvironment).ToList();
        var environmentsTask = arns.Count == 0
            ? Task.FromResult<IReadOnlyList<ComputeEnvironmentDetail>>([])
            : batch.AllComputeEnvironmentsAsync(arns, cancellationToken);
        var logTask = job.Status is "FAILED" or "RUNNING"
            ? JobLogService.TailAsync(connection, child ?? job, LogLines, time, cancellationToken)
            : Task.FromResult<string?>(null);
        await Task.WhenAll(environmentsTask, logTask).ConfigureAwait(false);

        var tail = await logTask.ConfigureAwait(false);
        var diagnosis = JobDiagnosis.Diagnose(new DiagnosisInput(job, time.GetUtcNow(), queue, await environmentsTask.ConfigureAwait(false),
            await dependenciesTask.ConfigureAwait(false), child, tail));

        var o = new ToolOutput().Line(JobDetailText.Headline(job));
        o.Field("cause", diagnosis.Cause);
        o.Field("fix", diagnosis.Fix);
        o.Section("evidence", s =>
        {
            foreach (var line in diagnosis.Evidence)
            {
                s.Line(line);
            }
        });
        if (tail is not null)
        {
            o.Section(child is null ? "last log lines" : $"last log lines of child {child.JobId}", s =>
            {
                foreach (var line in tail.Split('\n'))
                {
                    s.Line(line);
                }
            });
        }

        return o.ToString();
    }

    // The first failed child explains a failed (or failing) array job; a child also carries the log stream.
    private static async Task<JobDetail?> FailedChildAsync(IBatchClient batch, JobDetail job, CancellationToken cancellationToken)
    {
        if (!JobText.IsArrayParent(job) || job.ArrayProperties?.StatusSummary?.GetValueOrDefault("FAILED") is not > 0)
        {
            return null;
        }

        var failed = await batch.ListJobsAsync(new ListJobsRequest { ArrayJobId = job.JobId, JobStatus = "FAILED", MaxResults = 1 }, cancellationToken)
            .ConfigureAwait(false);
        var id = failed.JobSummaryList?.FirstOrDefault()?.JobId;
        return id is null ? null : await batch.JobAsync(id, cancellationToken).ConfigureAwait(false);
    }
}
