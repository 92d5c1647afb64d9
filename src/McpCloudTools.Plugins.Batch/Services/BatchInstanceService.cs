using System.Globalization;
using McpCloudTools.Aws;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Batch.Client;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// The per-instance operations of the plugin: cluster discovery (each compute environment with the queues that use
/// it), the health check, the status summary and the MCP resources.
/// </summary>
internal sealed partial class BatchInstanceService(BatchTargets targets, TimeProvider time, ILogger<BatchInstanceService> logger)
{
    private const string CePath = "compute-environments/";
    private const string QueuePath = "job-queues/";

    /// <summary>Registers every compute environment as a cluster <c>batch:&lt;name&gt;</c> with its queues, enabled and highest priority first.</summary>
    public async Task DiscoverAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var connection = targets.Connect(context);
        var cesTask = connection.Batch.AllComputeEnvironmentsAsync(null, cancellationToken);
        var queuesTask = connection.Batch.AllJobQueuesAsync(null, cancellationToken);
        try
        {
            await Task.WhenAll(cesTask, queuesTask).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.AccessDenied)
        {
            // A least-privilege identity may only be allowed the job calls: those tools must keep working, so the
            // instance starts without clusters (queue-less calls then ask for a queue) instead of failing every tool.
            LogDiscoveryDenied(logger, context.Instance.Id, e.Message);
            await context.Clusters.SetDiscoveredClustersAsync(context.Instance.Id, [], cancellationToken).ConfigureAwait(false);
            return;
        }

        var queues = await queuesTask.ConfigureAwait(false);
        var region = connection.Region;
        var clusters = (await cesTask.ConfigureAwait(false)).Select(ce =>
        {
            var using_ = queues.Where(q => (q.ComputeEnvironmentOrder ?? []).Any(o => o.ComputeEnvironment == ce.ComputeEnvironmentArn
                                                                                      || o.ComputeEnvironment == ce.ComputeEnvironmentName))
                .OrderBy(q => q.State == "ENABLED" ? 0 : 1).ThenByDescending(q => q.Priority ?? 0).ThenBy(q => q.JobQueueName, StringComparer.Ordinal)
                .Select(q => q.JobQueueName);
            return new ClusterInfo($"{BatchPlugin.Type}:{ce.ComputeEnvironmentName}", ce.ComputeEnvironmentName, region, BatchPlugin.Type, null,
                new Dictionary<string, string>
                {
                    [BatchTargets.ArnKey] = ce.ComputeEnvironmentArn,
                    [BatchTargets.QueuesKey] = string.Join(",", using_),
                });
        }).ToList();
        await context.Clusters.SetDiscoveredClustersAsync(context.Instance.Id, clusters, cancellationToken).ConfigureAwait(false);
    }

    public async Task<HealthReport> HealthAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var connection = targets.Connect(context);
        var page = await connection.Batch.DescribeJobQueuesAsync(new DescribeJobQueuesRequest { MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
        var found = page.JobQueues is not { Count: > 0 } ? "no job queues yet" : page.NextToken is null ? "1 job queue" : "job queues found";
        return HealthReport.Healthy($"AWS Batch reachable in {connection.Region} as {connection.Context.IdentityDescription}: {found}",
            new Dictionary<string, string> { ["region"] = connection.Region, ["endpoint"] = connection.Context.ResolveEndpoint(AwsService.Batch).ToString() });
    }

    /// <summary>Compute environments by state, and jobs by status across every job queue, with the queues that have failed or stuck jobs.</summary>
    public async Task<StatusSummary> SummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var connection = targets.Connect(context);
        var cesTask = connection.Batch.AllComputeEnvironmentsAsync(null, cancellationToken);
        var queuesTask = QueueJobsReader.ReadAsync([connection], null, cancellationToken);
        await Task.WhenAll(cesTask, queuesTask).ConfigureAwait(false);
        var ces = await cesTask.ConfigureAwait(false);
        var queues = await queuesTask.ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in ces.GroupBy(ResourceService.CeHealth))
        {
            counts["ce_" + group.Key.ToLowerInvariant()] = group.Count();
        }

        var text = $"{ces.Count} compute environments ({Fmt.Counts(ces.GroupBy(ResourceService.CeHealth).OrderBy(g => g.Key == "VALID").ThenBy(g => g.Key == "DISABLED")
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())))})";
        var now = time.GetUtcNow();
        var jobs = JobText.Statuses.ToDictionary(s => s, s => queues.Sum(q => q.Count(s)), StringComparer.Ordinal);
        var stuck = queues.Sum(q => q.Stuck(now));
        counts["queues"] = queues.Count;
        foreach (var s in JobText.ProblemOrder)
        {
            counts["jobs_" + s.ToLowerInvariant()] = jobs[s];
        }

        counts["jobs_stuck"] = stuck;
        var more = queues.Any(q => q.Capped) ? " (2000+ in some statuses)" : "";
        text += $"; jobs in {queues.Count} queues: {(jobs.Values.Sum() == 0 ? "none" : JobText.Counts(jobs))}{more}";
        var trouble = queues.Select(q => (q, Failed: q.Count("FAILED"), Stuck: q.Stuck(now))).Where(x => x.Failed + x.Stuck > 0)
            .OrderByDescending(x => x.Failed + x.Stuck).ThenBy(x => x.q.Queue.JobQueueName, StringComparer.Ordinal).ToList();
        if (trouble.Count > 0)
        {
            text += "; in trouble: " + string.Join(", ", trouble.Select(x =>
                $"{x.q.Queue.JobQueueName} ({Fmt.Counts([new("failed", x.Failed), new("stuck", x.Stuck)])})"));
        }

        return new StatusSummary(text, counts);
    }

    public async Task<IReadOnlyList<PluginResource>> ResourcesAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var connection = targets.Connect(context);
        var cesTask = connection.Batch.AllComputeEnvironmentsAsync(null, cancellationToken);
        var queuesTask = connection.Batch.AllJobQueuesAsync(null, cancellationToken);
        await Task.WhenAll(cesTask, queuesTask).ConfigureAwait(false);
        var prefix = $"{BatchPlugin.Type}://{context.Instance.Id}/";
        return
        [
            .. (await queuesTask.ConfigureAwait(false)).Select(q => new PluginResource(prefix + QueuePath + q.JobQueueName, $"job queue {q.JobQueueName}",
                $"Batch job queue ({q.State}, priority {q.Priority}): its compute environments and job counts")),
            .. (await cesTask.ConfigureAwait(false)).Select(c => new PluginResource(prefix + CePath + c.ComputeEnvironmentName,
                $"compute environment {c.ComputeEnvironmentName}", $"Batch compute environment ({ResourceService.CeHealth(c)}): capacity and instance types")),
        ];
    }

    /// <summary>
    /// Completion values: queue names, and job ids (each queue's jobs of every status, newest listing first; one page of
    /// each). Null for an argument Batch does not complete.
    /// </summary>
    public async Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken)
    {
        if (argument is not ("queue" or "job_id")) return null;
        var connection = targets.Connect(context);
        var queues = await connection.Batch.AllJobQueuesAsync(null, cancellationToken).ConfigureAwait(false);
        if (argument == "queue") return [.. queues.Select(q => q.JobQueueName).Order(StringComparer.Ordinal)];
        var listings = await Task.WhenAll(queues.Take(MaxQueuesCompleted).SelectMany(q => JobStatuses.Select(status =>
            connection.Batch.ListJobsAsync(new ListJobsRequest { JobQueue = q.JobQueueName, JobStatus = status, MaxResults = 100 }, cancellationToken)))).ConfigureAwait(false);
        return [.. listings.SelectMany(l => l.JobSummaryList ?? []).OrderByDescending(j => j.CreatedAt ?? 0).Select(j => j.JobId)];
    }

    private const int MaxQueuesCompleted = 10;
    private static readonly string[] JobStatuses = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"];

    public async Task<string?> ReadAsync(PluginContext context, string uri, CancellationToken cancellationToken)
    {
        var prefix = $"{BatchPlugin.Type}://{context.Instance.Id}/";
        if (!uri.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var path = uri[prefix.Length..];
        var connection = targets.Connect(context);
        if (path.StartsWith(CePath, StringComparison.Ordinal))
        {
            var ce = await connection.Batch.ComputeEnvironmentAsync(path[CePath.Length..], cancellationToken).ConfigureAwait(false);
            return ce is null ? null : ComputeEnvironmentText(ce);
        }

        if (path.StartsWith(QueuePath, StringComparison.Ordinal))
        {
            var queue = await connection.Batch.JobQueueAsync(path[QueuePath.Length..], cancellationToken).ConfigureAwait(false);
            if (queue is null)
            {
                return null;
            }

            var arns = (queue.ComputeEnvironmentOrder ?? []).Select(o => o.ComputeEnvironment).ToList();
            var ces = arns.Count == 0 ? [] : await connection.Batch.AllComputeEnvironmentsAsync(arns, cancellationToken).ConfigureAwait(false);
            var verdict = CapacityCheck.Check(queue, ces, default);
            var o = new ToolOutput().Line($"job queue {queue.JobQueueName}: {queue.State}/{queue.Status}, priority {queue.Priority}")
                .Field("arn", queue.JobQueueArn).Field("status reason", queue.StatusReason).Field("capacity", verdict.Cause);
            o.Section("compute environments, in order", s =>
            {
                foreach (var line in verdict.Evidence)
                {
                    s.Line(line);
                }
            });
            return o.ToString();
        }

        return null;
    }

    private static string ComputeEnvironmentText(ComputeEnvironmentDetail ce)
    {
        var r = ce.ComputeResources;
        return new ToolOutput().Line($"compute environment {ce.ComputeEnvironmentName}: {ce.State}/{ce.Status}, {ce.Type} {r?.Type}".TrimEnd())
            .Field("arn", ce.ComputeEnvironmentArn)
            .Field("status reason", ce.StatusReason)
            .Field("vcpus", r is null ? null : string.Create(CultureInfo.InvariantCulture, $"min {r.MinvCpus ?? 0}, desired {r.DesiredvCpus ?? 0}, max {r.MaxvCpus}"))
            .Field("instance types", r?.InstanceTypes)
            .Field("allocation", r?.AllocationStrategy)
            .Field("spot bid", r?.BidPercentage is { } bid ? $"{bid}% of on-demand" : null)
            .Field("subnets", r?.Subnets)
            .Field("security groups", r?.SecurityGroupIds)
            .Field("service role", ce.ServiceRole)
            .Field("ecs cluster", ce.EcsClusterArn)
            .ToString();
    }

    [LoggerMessage(LogLevel.Warning, "Batch instance {Instance} registers no clusters: {Reason}")]
    private static partial void LogDiscoveryDenied(ILogger logger, string instance, string reason);
}
