using System.ComponentModel;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Tools;

/// <summary>Jobs, write side: submit, cancel, terminate. Exist only with --allow-write.</summary>
internal sealed class JobControlTools(SubmitService submit, JobService jobs)
{
    [McpServerTool(Name = "batch_job_submit", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Submit a job; returns its id; warns if the queue cannot run it.")]
    public Task<string> Submit(
        [Description("Job name"), BatchName(BatchName.JobName)] string name,
        [Description("name, name:revision or ARN"), BatchName(BatchName.Definition)] string definition,
        [Description("Default: active cluster queue"), BatchName(BatchName.Queue)] string? queue = null,
        [Description("Command"), Text(8192, Multiline = true, Subject = "a command argument")] string[]? command = null,
        [Description("Env vars"), Text(8192, Multiline = true, Subject = "an environment value")] Dictionary<string, string>? environment = null,
        [Description("vCPUs")] double? vcpus = null,
        [Description("Memory MiB")] int? memory = null,
        [Description("Array size, 2-10000")] int? array_size = null,
        [Description("Job ids; arrays: id=N_TO_N, SEQUENTIAL"), BatchName(BatchName.Dependency)] string[]? depends_on = null,
        [Description("Attempts, 1-10")] int? retry_attempts = null,
        [Description("Per attempt, min 60")] int? timeout_seconds = null,
        CancellationToken cancellationToken = default) =>
        submit.SubmitAsync(new SubmitArguments(name, definition, queue, command, environment, vcpus, memory, array_size, depends_on,
            retry_attempts, timeout_seconds), cancellationToken);

    [McpServerTool(Name = "batch_job_cancel", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Cancel a job that has not started yet.")]
    public Task<string> Cancel([Description("Job id"), BatchName(BatchName.JobId)] string job_id, CancellationToken cancellationToken = default) =>
        jobs.CancelAsync(job_id, cancellationToken);

    [McpServerTool(Name = "batch_job_terminate", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Stop a job; a started one ends FAILED, not retried.")]
    public Task<string> Terminate([Description("Job id"), BatchName(BatchName.JobId)] string job_id, CancellationToken cancellationToken = default) =>
        jobs.TerminateAsync(job_id, cancellationToken);
}
