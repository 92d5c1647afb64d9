using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>One job: its details, the diagnosis of why it pends or failed, and cancelling it.</summary>
internal sealed class JobService(SlurmTargets targets, TimeProvider time)
{
    /// <summary>The job's records (several for an array job id), and the one the id names.</summary>
    public static async Task<(IReadOnlyList<SlurmJob> Records, SlurmJob Job)> FindAsync(SlurmTarget target, SlurmJobId id, CancellationToken cancellationToken)
    {
        var records = await target.Client.JobAsync(id, cancellationToken).ConfigureAwait(false);
        var job = JobListService.Pick(records, id) ?? throw new ToolException(
            $"No job {id} in {target.Cluster.Id}. slurmctld forgets finished jobs after MinJobAge (300 s by default); older ones are only in " +
            "accounting (sacct). slurm_job_list shows the current queue.");
        return (records, job);
    }

    public async Task<string> DescribeAsync(string jobId, string? clusterId, CancellationToken cancellationToken)
    {
        var id = SlurmJobId.Parse(jobId);
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var (records, job) = await FindAsync(target, id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var o = new ToolOutput().Line(Headline(job));
        o.Field("reason", job.State == "PENDING" ? $"{job.Reason ?? "None"}: {JobReasons.Lookup(job.Reason).Meaning}" : job.Reason);
        o.Field("description", job.StateDescription);
        o.Field("submitted", job.Submitted).Field("eligible", job.Eligible).Field("started", job.Started).Field("ended", job.Ended);
        o.Field("ran", SlurmText.RunTime(job, now));
        o.Field("time limit", SlurmText.Minutes(job.TimeLimitMinutes));
        o.Field("exit", SlurmText.Exit(job));
        o.Field("asks", Asks(job));
        o.Field("allocated", job.TresAllocated);
        o.Field("nodes", job.Nodes).Field("batch host", job.BatchHost);
        o.Field("partition", job.Partition).Field("qos", job.Qos).Field("account", job.Account).Field("priority", job.Priority);
        o.Field("dependency", job.Dependency);
        o.Field("work dir", job.WorkDir).Field("stdout", SlurmText.StdOut(job)).Field("stderr", SlurmText.StdErr(job) == SlurmText.StdOut(job) ? null : SlurmText.StdErr(job));
        o.Field("command", job.Command);
        var array = records.Where(r => r.ArrayJobId is not null).ToList();
        if (array.Count > 1 || (array.Count == 1 && id.TaskId is null && array[0].ArrayTasks is not null))
        {
            o.Section($"array {array[0].ArrayJobId}", s =>
            {
                s.Line("tasks: " + SlurmText.Counts(array) + (array.FirstOrDefault(r => r.ArrayTasks is not null)?.ArrayTasks is { } left ? $"; still pending: {left}" : ""));
                var table = new TextTable("task", "state", "reason", "ran", "exit");
                foreach (var t in array.OrderBy(SlurmText.Rank).ThenBy(t => t.ArrayTaskId ?? -1).Take(20))
                {
                    table.Row(t.Id, t.State, t.Reason, SlurmText.RunTime(t, now), SlurmText.Exit(t));
                }

                s.Table(table);
            });
        }

        return o.ToString();
    }

    public async Task<string> DiagnoseAsync(string jobId, string? clusterId, CancellationToken cancellationToken)
    {
        var id = SlurmJobId.Parse(jobId);
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var (_, job) = await FindAsync(target, id, cancellationToken).ConfigureAwait(false);
        var partitionTask = job.Partition.Length == 0 || job.Partition.Contains(',', StringComparison.Ordinal)
            ? Task.FromResult<SlurmPartition?>(null)
            : target.Client.PartitionAsync(job.Partition, cancellationToken);
        var nodesTask = target.Client.NodesAsync(cancellationToken);
        var queueTask = job.State == "PENDING" ? target.Client.JobsAsync(cancellationToken) : Task.FromResult<IReadOnlyList<SlurmJob>>([]);
        await Task.WhenAll(partitionTask, nodesTask, queueTask).ConfigureAwait(false);
        var diagnosis = JobDiagnosis.Diagnose(new DiagnosisInput(job, time.GetUtcNow(), await partitionTask.ConfigureAwait(false),
            await nodesTask.ConfigureAwait(false), await queueTask.ConfigureAwait(false)));
        var o = new ToolOutput().Line(Headline(job)).Field("cause", diagnosis.Cause).Field("fix", diagnosis.Fix);
        o.Section("evidence", s =>
        {
            foreach (var line in diagnosis.Evidence.Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                s.Line(line);
            }
        });
        if (SlurmText.FailedStates.Contains(job.State) && SlurmText.StdErr(job) is { } err)
        {
            o.Field("read", $"its output on the cluster: {err}");
        }

        return o.ToString();
    }

    public async Task<string> CancelAsync(string jobId, string? clusterId, CancellationToken cancellationToken)
    {
        var id = SlurmJobId.Parse(jobId);
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var (_, job) = await FindAsync(target, id, cancellationToken).ConfigureAwait(false);
        if (SlurmText.IsFinal(job))
        {
            return $"job {job.Id} ({job.Name}) already ended {job.State}; nothing to cancel.";
        }

        await target.Client.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        var was = job.State == "RUNNING" ? $"it was RUNNING for {SlurmText.RunTime(job, time.GetUtcNow())}; its work so far is lost unless it checkpoints"
            : $"it was {job.State}";
        return $"cancel sent for job {id} ({job.Name}) on {target.Cluster.Id}: {was}. slurm_job_describe job_id={id} shows CANCELLED once Slurm has stopped it.";
    }

    public static string Headline(SlurmJob job) =>
        $"job {job.Id} ({job.Name}) of {job.User}: {job.State}" + (job.StateFlags.Count > 0 ? "+" + string.Join("+", job.StateFlags) : "") +
        (job.Reason is { } r ? $" ({r})" : "") + (job.Partition.Length > 0 ? $" in partition {job.Partition}" : "");

    private static string Asks(SlurmJob job) => string.Join(", ", new[]
    {
        job.NodeCount is { } n ? $"{n} node{(n == 1 ? "" : "s")}" : null,
        job.Tasks is { } t ? $"{t} task{(t == 1 ? "" : "s")}" : null,
        job.Cpus is { } c ? $"{c} CPUs" : null,
        job.CpusPerTask is { } ct and > 1 ? $"{ct} CPUs/task" : null,
        SlurmText.Memory(job),
        job.Features is { } f ? $"features {f}" : null,
        job.RequiredNodes is { } r ? $"nodes {r}" : null,
    }.Where(s => s is not null).Select(s => s!.ToString(CultureInfo.InvariantCulture)));
}
