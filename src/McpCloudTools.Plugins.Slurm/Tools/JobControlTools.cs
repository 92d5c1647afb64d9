using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Slurm.Tools;

/// <summary>Jobs, write side: submit and cancel. Exist only with --allow-write.</summary>
internal sealed class JobControlTools(SubmitService submit, JobService jobs)
{
    [McpServerTool(Name = "slurm_job_submit", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true), SensitiveData]
    [Description("Submit a batch script or command; warns if no node can run it.")]
    public Task<string> Submit(
        [Description("Batch script, #! first"), SlurmName(SlurmName.Script)] string? script = null,
        [Description("Or one command line"), SlurmName(SlurmName.Command)] string? command = null,
        [SlurmName(SlurmName.JobName)] string? name = null,
        [Description("Default: cluster's"), SlurmName(SlurmName.Partition)] string? partition = null,
        int? nodes = null,
        int? tasks = null,
        int? cpus_per_task = null,
        [Description("MB per node")] long? memory_mb = null,
        [Description("Time limit")] int? time_minutes = null,
        [Description("e.g. 0-9%2"), SlurmName(SlurmName.Array)] string? array = null,
        [Description("e.g. afterok:123"), SlurmName(SlurmName.Dependency)] string? dependency = null,
        [SlurmName(SlurmName.EnvironmentValue)] Dictionary<string, string>? environment = null,
        [Description("Default /tmp"), SlurmName(SlurmName.WorkDir)] string? work_dir = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        submit.SubmitAsync(new SubmitArguments(script, command, name, partition, nodes, tasks, cpus_per_task, memory_mb, time_minutes, array, dependency,
            environment, work_dir, cluster_id), cancellationToken);

    [McpServerTool(Name = "slurm_job_cancel", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Cancel a job (scancel); kills it if running.")]
    public Task<string> Cancel([Description("Job id, or 123_4"), SlurmName(SlurmName.JobId)] string job_id, [Description(ToolParams.ClusterId)] string? cluster_id = null,
        CancellationToken cancellationToken = default) =>
        jobs.CancelAsync(job_id, cluster_id, cancellationToken);
}
