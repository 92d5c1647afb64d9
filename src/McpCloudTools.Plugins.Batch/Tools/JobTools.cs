using System.ComponentModel;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Tools;

/// <summary>Jobs, read side: list, describe, logs, diagnose, wait.</summary>
internal sealed class JobTools(JobListService list, JobService jobs, JobLogService logs, DiagnoseService diagnose, JobWaiter waiter)
{
    [McpServerTool(Name = "batch_job_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Jobs of a queue, all statuses, counts first, failures first; no queue: each queue's counts, then failed and stuck jobs.")]
    public Task<string> List(
        [Description("Omit: every queue (active cluster's)"), BatchName(BatchName.Queue)] string? queue = null,
        [Description("Statuses, comma-separated"), Text(128)] string? status = null,
        [Description(ToolParams.NameFilter), BatchName(BatchName.JobNameFilter)] string? name = null,
        [Description("Array job: list children"), BatchName(BatchName.JobId)] string? array_job_id = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        list.ListAsync(queue, status, name, array_job_id, limit, cursor, cancellationToken);

    [McpServerTool(Name = "batch_job_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("Job details: timeline, attempts, exit codes, array, dependencies.")]
    public Task<string> Describe([Description("Job id"), BatchName(BatchName.JobId)] string job_id, CancellationToken cancellationToken = default) =>
        jobs.DescribeAsync(job_id, cancellationToken);

    [McpServerTool(Name = "batch_job_logs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Latest log lines of a job.")]
    public Task<string> Logs(
        [Description("Job id"), BatchName(BatchName.JobId)] string job_id,
        [Description("Last lines")] int tail = 50,
        [Description("10m before end, or ISO time"), Text(64)] string? since = null,
        CancellationToken cancellationToken = default) =>
        logs.LogsAsync(job_id, tail, since, cancellationToken);

    [McpServerTool(Name = "batch_job_diagnose", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Why a job failed or is stuck: cause, fix, evidence, last log lines.")]
    public Task<string> Diagnose([Description("Job id"), BatchName(BatchName.JobId)] string job_id, CancellationToken cancellationToken = default) =>
        diagnose.DiagnoseAsync(job_id, cancellationToken);

    [McpServerTool(Name = "batch_job_wait", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [WaitsUpTo("timeout_seconds", JobWaiter.DefaultTimeoutSeconds, JobWaiter.MaxTimeoutSeconds)]
    [Description("Wait for a job to end, with progress on status changes.")]
    public Task<string> Wait(
        [Description("Job id"), BatchName(BatchName.JobId)] string job_id,
        IProgress<ProgressNotificationValue> progress,
        [Description("Max 3600")] int timeout_seconds = JobWaiter.DefaultTimeoutSeconds,
        CancellationToken cancellationToken = default) =>
        waiter.WaitAsync(job_id, timeout_seconds, progress, cancellationToken);
}
