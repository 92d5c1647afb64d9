using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>The queue: counts by state and by pending reason first, then failed and stuck jobs first.</summary>
internal sealed class JobListService(SlurmTargets targets, TimeProvider time)
{
    public async Task<string> ListAsync(string? clusterId, string? user, string? partition, string? state, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var page = Paging.Read(limit, cursor);
        var userName = SlurmNames.User.Optional(user, "user");
        var partitionName = SlurmNames.Partition.Optional(partition, "partition");
        var states = SlurmNames.JobStates.Optional(state, "state") is { } s ? SlurmNames.StateSet(s, upper: true) : null;
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var all = await target.Client.JobsAsync(cancellationToken).ConfigureAwait(false);
        var jobs = all.Where(j => userName is null || j.User == userName)
            .Where(j => partitionName is null || j.Partition.Split(',').Contains(partitionName))
            .Where(j => states is null || states.Contains(j.State))
            .OrderBy(SlurmText.Rank).ThenByDescending(j => j.Submitted ?? DateTimeOffset.MinValue).ThenByDescending(j => j.JobId).ToList();
        var scope = $"slurm_job_list|{target.Cluster.Id}|{userName}|{partitionName}|{string.Join(",", states ?? [])}";
        var (items, next) = Paging.Slice(jobs, page, scope);

        var filters = string.Join(", ", new[] { userName is null ? null : $"user {userName}", partitionName is null ? null : $"partition {partitionName}",
            states is null ? null : "state " + string.Join("|", states) }.Where(f => f is not null));
        var output = new ToolOutput().Line($"jobs of {target.Cluster.Id}" + (filters.Length > 0 ? $" ({filters})" : "") + $": {jobs.Count}" +
                                          (jobs.Count > 0 ? $"; {SlurmText.Counts(jobs)}" : ""));
        var pending = jobs.Where(j => j.State == "PENDING").ToList();
        if (pending.Count > 0)
        {
            output.Line("pending by reason: " + string.Join(", ", pending.GroupBy(j => JobReasons.Lookup(j.Reason).Code.Split(',')[0])
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        }

        var stuck = jobs.Count(SlurmText.IsStuck);
        if (stuck > 0)
        {
            output.Line($"{stuck} pending jobs cannot start without a change (listed after the failed ones); slurm_job_diagnose says why");
        }

        if (jobs.Count == 0)
        {
            output.Line("No jobs. slurmctld forgets finished jobs after MinJobAge (300 s by default); older ones are only in accounting (sacct).");
        }

        var now = time.GetUtcNow();
        var table = new TextTable("job id", "user", "name", "partition", "state", "reason", "age", "ran", "limit", "nodes", "exit");
        foreach (var j in items)
        {
            table.Row(j.Id, j.User, Fmt.Truncate(j.Name, 40), j.Partition, j.State + (j.StateFlags.Count > 0 ? "+" + string.Join("+", j.StateFlags) : ""),
                j.Reason is { } r ? Fmt.Truncate(r, 48) : null, Fmt.Age(j.Submitted, now), SlurmText.RunTime(j, now),
                SlurmText.Minutes(j.TimeLimitMinutes), j.Nodes ?? (j.NodeCount is { } n ? $"({n})" : null), SlurmText.Exit(j));
        }

        return output.Table(table).Page(items.Count, jobs.Count, next, page).ToString();
    }

    /// <summary>The one record a job id names: the job, or one task of an array.</summary>
    public static SlurmJob? Pick(IReadOnlyList<SlurmJob> records, SlurmJobId id) => id.TaskId is { } task
        ? records.FirstOrDefault(j => j.ArrayTaskId == task && (j.ArrayJobId == id.JobId || j.JobId == id.JobId))
        : records.FirstOrDefault(j => j.JobId == id.JobId) ?? (records.Count > 0 ? records[0] : null);
}
