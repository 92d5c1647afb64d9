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
/// </summary>
internal sealed partial class JobListService(BatchTargets targets, TimeProvider time)
{
    // Per listing: two pages of 1000 per status, or twenty pages of 100 with a filter (its maximum page size).
    private static readonly PageLimits StatusPages = new(MaxItems: 2000, MaxPages: 2);
    private static readonly PageLimits FilterPages = new(MaxItems: 2000, MaxPages: 20);

    public async Task<string> ListAsync(string? queue, string? status, string? name, string? arrayJobId, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var statuses = JobText.ParseStatuses(status);
        var page = Paging.Read(limit, cursor);
        var nameFilter = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
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
            title = $"queue {JobText.Name(target.Queue)}" + (target.Cluster is { } c ? $" (default queue of {c.Id})" : "");
        }

        // The name filter follows the one rule (ToolParams.NameFilter). Batch's JOB_NAME filter can take the part of it
        // that means the same there (any case; a whole name, or a start followed by '*'): a single trailing '*'. Anything
        // else (a part of the name, '*' elsewhere), and the children of an array job (filters do not apply to them), is
        // matched here over every status's listing.
        var useFilter = nameFilter is not null && arrayJobId is null && IsPrefixPattern(nameFilter);
        var listings = useFilter
            ? [CollectAsync(connection.Batch, () => Filtered(request(), nameFilter!), FilterPages, cancellationToken)]
            : (statuses ?? JobText.Statuses).Select(s => CollectAsync(connection.Batch, () => WithStatus(request(), s), StatusPages, cancellationToken)).ToList();
        var results = await Task.WhenAll(listings).ConfigureAwait(false);

        var jobs = results.SelectMany(r => r.Items).DistinctBy(j => j.JobId)
            .Where(j => statuses is null || statuses.Contains(j.Status ?? ""))
            .Where(j => nameFilter is null || ToolParams.NameMatches(j.JobName, nameFilter))
            .OrderBy(j => JobText.Rank(j.Status)).ThenByDescending(j => j.CreatedAt ?? 0).ThenBy(j => j.JobId, StringComparer.Ordinal).ToList();
        var capped = results.Any(r => r.IsTruncated);
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

    private static ListJobsRequest WithStatus(ListJobsRequest request, string status)
    {
        request.JobStatus = status;
        request.MaxResults = 1000;
        return request;
    }

    private static ListJobsRequest Filtered(ListJobsRequest request, string name)
    {
        request.Filters = [new KeyValuesPair { Name = "JOB_NAME", Values = [name] }];
        request.MaxResults = 100;
        return request;
    }

    private static Task<PagedResult<JobSummary>> CollectAsync(IBatchClient batch, Func<ListJobsRequest> make, PageLimits limits,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectAsync(
            (token, _, ct) =>
            {
                var request = make();
                request.NextToken = token;
                return batch.ListJobsAsync(request, ct);
            },
            p => p.JobSummaryList, p => p.NextToken, limits, null, cancellationToken);

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
