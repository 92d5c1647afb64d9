using McpCloudTools.Aws;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>One queue's jobs of every status, and what stands out in them.</summary>
/// <param name="Connection">The instance that has the queue.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Problem">Why the queue cannot run jobs (<see cref="ResourceService.QueueProblem"/>), or null.</param>
/// <param name="Jobs">Its jobs, every status.</param>
/// <param name="Capped">A listing stopped at its page limit, so counts are lower bounds.</param>
internal sealed record QueueJobs(BatchConnection Connection, JobQueueDetail Queue, string? Problem, IReadOnlyList<JobSummary> Jobs, bool Capped)
{
    public IReadOnlyDictionary<string, int> Counts { get; } =
        Jobs.GroupBy(j => j.Status ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public int Count(string status) => Counts.TryGetValue(status, out var n) ? n : 0;

    public int Stuck(DateTimeOffset now) => Jobs.Count(j => QueueJobsReader.IsStuck(j, now));
}

/// <summary>
/// Reads the jobs of whole queues: ListJobs returns only RUNNING jobs when no status is given, so "every status" is one
/// listing per status, in parallel. Shared by <c>batch_job_list</c> and the status summary, so both count the same way.
/// </summary>
internal static class QueueJobsReader
{
    /// <summary>
    /// A RUNNABLE job waiting longer than this is stuck: instances launch within a few minutes when the queue has
    /// capacity (docs/batch.md quotes this number).
    /// </summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    /// <summary>Per listing: two pages of 1000 per status.</summary>
    public static readonly PageLimits StatusPages = new(MaxItems: 2000, MaxPages: 2);

    /// <summary>Listings per queue read at once: ten queues' worth of calls, so fifty queues do not flood the API.</summary>
    private const int ParallelQueues = 10;

    public static bool IsStuck(JobSummary job, DateTimeOffset now) =>
        job.Status == "RUNNABLE" && JobText.Time(job.CreatedAt) is { } created && now - created > StuckAfter;

    /// <summary>The queues of every connection with their jobs; <paramref name="only"/> limits a connection to some of its queues.</summary>
    public static async Task<IReadOnlyList<QueueJobs>> ReadAsync(IReadOnlyList<BatchConnection> connections, IReadOnlyList<string>? only,
        CancellationToken cancellationToken)
    {
        var perConnection = await Task.WhenAll(connections.Select(async c =>
        {
            var queuesTask = c.Batch.AllJobQueuesAsync(only, cancellationToken);
            var cesTask = c.Batch.AllComputeEnvironmentsAsync(null, cancellationToken);
            await Task.WhenAll(queuesTask, cesTask).ConfigureAwait(false);
            var ces = (await cesTask.ConfigureAwait(false)).ToDictionary(ce => ce.ComputeEnvironmentArn, StringComparer.Ordinal);
            return (await queuesTask.ConfigureAwait(false)).Select(q => (Connection: c, Queue: q, Problem: ResourceService.QueueProblem(q, ces)));
        })).ConfigureAwait(false);

        var queues = perConnection.SelectMany(x => x).ToList();
        using var gate = new SemaphoreSlim(ParallelQueues);
        return await Task.WhenAll(queues.Select(async q =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var (jobs, capped) = await JobsAsync(q.Connection.Batch, () => new ListJobsRequest { JobQueue = q.Queue.JobQueueName }, null, cancellationToken)
                    .ConfigureAwait(false);
                return new QueueJobs(q.Connection, q.Queue, q.Problem, jobs, capped);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>The jobs a request selects, in the given statuses (null: all), one listing per status; and whether a listing was capped.</summary>
    public static async Task<(IReadOnlyList<JobSummary> Jobs, bool Capped)> JobsAsync(IBatchClient batch, Func<ListJobsRequest> request,
        IReadOnlyList<string>? statuses, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll((statuses ?? JobText.Statuses).Select(s => CollectAsync(batch, () =>
        {
            var r = request();
            r.JobStatus = s;
            r.MaxResults = 1000;
            return r;
        }, StatusPages, cancellationToken))).ConfigureAwait(false);
        return ([.. results.SelectMany(r => r.Items).DistinctBy(j => j.JobId)], results.Any(r => r.IsTruncated));
    }

    public static Task<PagedResult<JobSummary>> CollectAsync(IBatchClient batch, Func<ListJobsRequest> make, PageLimits limits,
        CancellationToken cancellationToken) =>
        AwsPaging.CollectAsync(
            (token, _, ct) =>
            {
                var request = make();
                request.NextToken = token;
                return batch.ListJobsAsync(request, ct);
            },
            p => p.JobSummaryList, p => p.NextToken, limits, null, cancellationToken);
}
