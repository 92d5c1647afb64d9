using System.Globalization;
using System.Text.RegularExpressions;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// Jobs of a queue or children of an array job, every status unless asked otherwise. ListJobs returns only RUNNING
/// jobs when no status is given, so "all" means one listing per status (in parallel); a name filter is a ListJobs
/// filter, which returns every status by itself. Counts by status come first, then the rows, problems first.
/// Without a queue: every queue in scope (the active compute environment's, else all) with its counts, queues in
/// trouble first, then the jobs in trouble (failed, stuck RUNNABLE) or those the filters select.
/// </summary>
internal sealed partial class JobListService(BatchTargets targets, TimeProvider time)
{
    // Per listing: two pages of 1000 per status (QueueJobsReader), or twenty pages of 100 with a filter (its maximum page size).
    private static readonly PageLimits FilterPages = new(MaxItems: 2000, MaxPages: 20);

    public async Task<string> ListAsync(string? queue, string? status, string? name, string? arrayJobId, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var statuses = JobText.ParseStatuses(status);
        var page = Paging.Read(limit, cursor);
        var nameFilter = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (string.IsNullOrWhiteSpace(queue) && string.IsNullOrWhiteSpace(arrayJobId))
        {
            return await OverviewAsync(statuses, nameFilter, page, cancellationToken).ConfigureAwait(false);
        }

        BatchConnection connection;
        string scopeTarget, title;
        Func<ListJobsRequest> request;
        if (!string.IsNullOrWhiteSpace(arrayJobId))
        {
            var (owner, job) = await targets.JobAsync(arrayJobId, cancellationToken).ConfigureAwait(false);
            if (!JobText.IsArrayParent(job))
            {
                throw new ToolException($"Job {job.JobId} ({job.JobName}) is not an array job's parent, so it has no children; batch_job_describe shows it.");
            }

            var parent = job.JobId;
            connection = owner;
            request = () => new ListJobsRequest { ArrayJobId = parent };
            scopeTarget = "array:" + parent;
            title = $"array job {parent}";
        }
        else
        {
            var target = await targets.QueueAsync(queue, cancellationToken).ConfigureAwait(false);
            connection = target.Connection;
            request = () => new ListJobsRequest { JobQueue = target.Queue };
            scopeTarget = target.Queue;
            title = $"queue {JobText.Name(target.Queue)}";
        }

        // The name filter follows the one rule (ToolParams.NameFilter). Batch's JOB_NAME filter can take the part of it
        // that means the same there (any case; a whole name, or a start followed by '*'): a single trailing '*'. Anything
        // else (a part of the name, '*' elsewhere), and the children of an array job (filters do not apply to them), is
        // matched here over every status's listing.
        var useFilter = nameFilter is not null && arrayJobId is null && IsPrefixPattern(nameFilter);
        var listings = useFilter
            ? await Filtered(connection.Batch, request, nameFilter!, cancellationToken).ConfigureAwait(false)
            : await QueueJobsReader.JobsAsync(connection.Batch, request, statuses, cancellationToken).ConfigureAwait(false);

        var jobs = listings.Jobs
            .Where(j => statuses is null || statuses.Contains(j.Status ?? ""))
            .Where(j => nameFilter is null || ToolParams.NameMatches(j.JobName, nameFilter))
            .OrderBy(j => JobText.Rank(j.Status)).ThenByDescending(j => j.CreatedAt ?? 0).ThenBy(j => j.JobId, StringComparer.Ordinal).ToList();
        var capped = listings.Capped;
        var counts = jobs.GroupBy(j => j.Status ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var scope = $"batch_job_list|{connection.InstanceId}|{scopeTarget}|{string.Join(",", statuses ?? [])}|{nameFilter}";
        var (items, next) = Paging.Slice(jobs, page, scope);

        var now = time.GetUtcNow();
        var table = new TextTable("job id", "name", "status", "array", "age", "ran", "exit", "reason");
        foreach (var j in items)
        {
            table.Row(j.JobId, j.JobName, j.Status, Array(j), Fmt.Age(JobText.Time(j.CreatedAt), now),
                JobText.RunTime(j.StartedAt, j.StoppedAt, now), j.Container?.ExitCode?.ToString(CultureInfo.InvariantCulture),
                JobText.Reason(j.Status, j.StatusReason, j.Container?.Reason) is { } reason ? Fmt.Truncate(Shorten(reason), 90) : null);
        }

        var filters = string.Join(", ", new[] { statuses is null ? null : "status " + string.Join("|", statuses), nameFilter is null ? null : $"name '{nameFilter}'" }
            .Where(f => f is not null));
        var head = $"{title}: {(capped ? "at least " : "")}{jobs.Count} {(arrayJobId is null ? "jobs" : "children")}" +
                   (filters.Length > 0 ? $" ({filters})" : statuses is null ? " (all statuses)" : "") +
                   (jobs.Count > 0 ? "; " + JobText.Counts(counts) : "");
        var output = new ToolOutput().Line(head);
        if (jobs.Count == 0)
        {
            output.Line(arrayJobId is null
                ? "No jobs found. Batch keeps finished jobs about 7 days; batch_job_queue_list shows the queues."
                : "No children found: is it an array job's id (without :index)? batch_job_describe shows its array size.");
        }

        if (capped)
        {
            output.Line("(listing stopped at 2000 jobs per status; narrow it with status or name)");
        }

        return output.Table(table).Page(items.Count, jobs.Count, next, page).ToString();
    }

    private static async Task<(IReadOnlyList<JobSummary> Jobs, bool Capped)> Filtered(IBatchClient batch, Func<ListJobsRequest> make, string name,
        CancellationToken cancellationToken)
    {
        var result = await QueueJobsReader.CollectAsync(batch, () =>
        {
            var request = make();
            request.Filters = [new KeyValuesPair { Name = "JOB_NAME", Values = [name] }];
            request.MaxResults = 100;
            return request;
        }, FilterPages, cancellationToken).ConfigureAwait(false);
        return (result.Items, result.IsTruncated);
    }

    /// <summary>
    /// No queue: one row per queue in scope with its counts (queues with failed or stuck jobs first), then the jobs in
    /// trouble across them (failed; RUNNABLE longer than <see cref="QueueJobsReader.StuckAfter"/>), or with a status or
    /// name filter the jobs it selects; paged.
    /// </summary>
    private async Task<string> OverviewAsync(IReadOnlyList<string>? statuses, string? nameFilter, PageRequest page, CancellationToken cancellationToken)
    {
        var scope = await targets.ScopeAsync(cancellationToken).ConfigureAwait(false);
        if (scope.Queues is { Count: 0 })
        {
            throw new ToolException($"The active cluster {scope.Cluster!.Id} (compute environment {scope.Cluster.Name}) is attached to no job queue, so " +
                "batch_job_list without queue has nothing to cover. Pass queue (batch_job_queue_list shows them) or activate another Batch cluster.");
        }

        var queues = await QueueJobsReader.ReadAsync(scope.Connections, scope.Queues, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var several = scope.Connections.Count > 1;
        var ordered = queues
            .Select(q => (Q: q, Trouble: q.Count("FAILED") + q.Stuck(now)))
            .OrderBy(x => x.Trouble > 0 ? 0 : x.Q.Problem is not null && x.Q.Jobs.Count > 0 ? 1 : 2).ThenByDescending(x => x.Trouble)
            .ThenByDescending(x => x.Q.Queue.Priority ?? 0).ThenBy(x => x.Q.Queue.JobQueueName, StringComparer.Ordinal).ToList();

        var queueTable = several
            ? new TextTable("queue", "instance", "state", "jobs", "failed", "stuck", "counts", "problem")
            : new TextTable("queue", "state", "jobs", "failed", "stuck", "counts", "problem");
        foreach (var (q, _) in ordered)
        {
            string?[] cells =
            [
                $"{q.Queue.State}/{q.Queue.Status}", (q.Capped ? "≥" : "") + q.Jobs.Count.ToString(CultureInfo.InvariantCulture),
                q.Count("FAILED").ToString(CultureInfo.InvariantCulture), q.Stuck(now).ToString(CultureInfo.InvariantCulture), JobText.Counts(q.Counts), q.Problem,
            ];
            queueTable.Row(several ? [q.Queue.JobQueueName, q.Connection.InstanceId, .. cells] : [q.Queue.JobQueueName, .. cells]);
        }

        var filtered = statuses is not null || nameFilter is not null;
        var rows = queues.SelectMany(q => q.Jobs.Select(j => (Q: q, Job: j)))
            .Where(x => filtered
                ? (statuses is null || statuses.Contains(x.Job.Status ?? "")) && (nameFilter is null || ToolParams.NameMatches(x.Job.JobName, nameFilter))
                : x.Job.Status == "FAILED" || QueueJobsReader.IsStuck(x.Job, now))
            .OrderBy(x => JobText.Rank(x.Job.Status)).ThenByDescending(x => x.Job.CreatedAt ?? 0).ThenBy(x => x.Job.JobId, StringComparer.Ordinal).ToList();
        var pageScope = $"batch_job_list|overview|{string.Join(",", scope.Connections.Select(c => c.InstanceId))}|{scope.Cluster?.Id}|" +
                        $"{string.Join(",", statuses ?? [])}|{nameFilter}";
        var (items, next) = Paging.Slice(rows, page, pageScope);

        var total = queues.Sum(q => q.Jobs.Count);
        var failed = queues.Sum(q => q.Count("FAILED"));
        var stuck = queues.Sum(q => q.Stuck(now));
        var all = queues.SelectMany(q => q.Counts).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
        var counted = queues.Count == 1 ? "1 job queue" : $"{queues.Count} job queues";
        var where = scope.Cluster is { } cluster
            ? $"{counted} of the active cluster {cluster.Id}"
            : $"{counted} in " + (several ? $"{scope.Connections.Count} instances" : scope.Connections[0].Region);
        var output = new ToolOutput()
            .Line($"{where} (no queue given): {(queues.Any(q => q.Capped) ? "at least " : "")}{total} jobs" + (total > 0 ? "; " + JobText.Counts(all) : "") +
                  $"; {failed} failed, {stuck} stuck (RUNNABLE over {QueueJobsReader.StuckAfter.TotalMinutes:0}m)")
            .Table(queueTable);
        if (queues.Any(q => q.Capped))
        {
            output.Line("(listing stopped at 2000 jobs per status in a queue; name a queue and narrow it with status or name)");
        }

        var filters = string.Join(", ", new[] { statuses is null ? null : "status " + string.Join("|", statuses), nameFilter is null ? null : $"name '{nameFilter}'" }
            .Where(f => f is not null));
        output.Line(filtered
            ? $"jobs with {filters}: {rows.Count}" + (rows.Count == 0 ? "" : ", problems first")
            : rows.Count == 0
                ? "No failed or stuck jobs. batch_job_list queue=<name> lists a queue's jobs."
                : $"jobs in trouble: {rows.Count} (failed, then stuck); batch_job_diagnose job_id=<id> tells why, batch_job_list queue=<name> lists a queue");
        var jobTable = new TextTable("job id", "name", "queue", "status", "age", "exit", "reason");
        foreach (var (q, j) in items)
        {
            var reason = JobText.Reason(j.Status, j.StatusReason, j.Container?.Reason);
            if (QueueJobsReader.IsStuck(j, now))
            {
                reason = q.Problem is { } problem ? $"stuck: {problem}" : "stuck: " + (reason ?? "waiting for capacity");
            }

            jobTable.Row(j.JobId, j.JobName, q.Queue.JobQueueName, j.Status, Fmt.Age(JobText.Time(j.CreatedAt), now),
                j.Container?.ExitCode?.ToString(CultureInfo.InvariantCulture), reason is null ? null : Fmt.Truncate(Shorten(reason), 90));
        }

        return output.Table(jobTable).Page(items.Count, rows.Count, next, page).ToString();
    }

    // What Batch's JOB_NAME filter means as the name rule does: 'start*' (any case, a prefix).
    private static bool IsPrefixPattern(string filter) => filter.Length > 1 && filter.IndexOf('*', StringComparison.Ordinal) == filter.Length - 1;

    // Docker's preamble and the ECR registry host push the telling part of a pull error past any sensible column width.
    private static string Shorten(string reason) => EcrRegistry().Replace(reason.Replace("Error response from daemon: ", "", StringComparison.Ordinal), "…/");

    [GeneratedRegex(@"\b\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/")]
    private static partial Regex EcrRegistry();

    private static string? Array(JobSummary j) => j.ArrayProperties switch
    {
        { Index: { } index } => "#" + index.ToString(CultureInfo.InvariantCulture),
        { Size: { } size } => $"parent of {size}" + (j.ArrayProperties.StatusSummary is { } s && s.TryGetValue("FAILED", out var f) && f > 0 ? $", {f} failed" : ""),
        _ => null,
    };
}
