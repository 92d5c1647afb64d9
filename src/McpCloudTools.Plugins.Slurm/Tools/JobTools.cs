using System.ComponentModel;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Services;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Slurm.Tools;

/// <summary>Jobs, read side: the queue, one job, why it pends or failed, waiting for it.</summary>
internal sealed class JobTools(JobListService list, JobService jobs, JobWaiter waiter)
{
    [McpServerTool(Name = "slurm_job_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("The queue: counts by state and pending reason, failed and stuck first.")]
    public Task<string> List(
        [SlurmName(SlurmName.User)] string? user = null,
        [SlurmName(SlurmName.Partition)] string? partition = null,
        [Description("States, comma-separated"), SlurmName(SlurmName.JobStates)] string? state = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        list.ListAsync(cluster_id, user, partition, state, limit, cursor, cancellationToken);

    [McpServerTool(Name = "slurm_job_describe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Job details: state, reason, timeline, resources, nodes, exit, paths, array tasks.")]
    public Task<string> Describe([Description("Job id, or 123_4"), SlurmName(SlurmName.JobId)] string job_id, [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        jobs.DescribeAsync(job_id, cluster_id, cancellationToken);

    [McpServerTool(Name = "slurm_job_diagnose", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Why a job pends or failed (OOM, timeout, exit code…): cause, fix, evidence.")]
    public Task<string> Diagnose([Description("Job id, or 123_4"), SlurmName(SlurmName.JobId)] string job_id, [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        jobs.DiagnoseAsync(job_id, cluster_id, cancellationToken);

    [McpServerTool(Name = "slurm_job_wait", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [WaitsUpTo("timeout_seconds", JobWaiter.DefaultTimeoutSeconds, JobWaiter.MaxTimeoutSeconds)]
    [Description("Wait for a job to end, with progress on state changes.")]
    public Task<string> Wait(
        [Description("Job id, or 123_4"), SlurmName(SlurmName.JobId)] string job_id,
        IProgress<ProgressNotificationValue> progress,
        [Description("Max 3600")] int timeout_seconds = JobWaiter.DefaultTimeoutSeconds,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        waiter.WaitAsync(job_id, cluster_id, timeout_seconds, progress, cancellationToken);
}
