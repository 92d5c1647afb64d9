using System.Globalization;
using McpCloudTools.Aws;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>Compute environments, job queues and job definitions as compact tables, problems first.</summary>
internal sealed class ResourceService(BatchTargets targets)
{
    // No paging here: Batch allows 50 compute environments and 50 job queues per account and region.
    public async Task<string> ComputeEnvironmentsAsync(CancellationToken cancellationToken)
    {
        var connections = await targets.AllAsync(cancellationToken).ConfigureAwait(false);
        var all = (await Task.WhenAll(connections.Select(async c => (await c.Batch.AllComputeEnvironmentsAsync(null, cancellationToken).ConfigureAwait(false))
                .Select(ce => (Connection: c, Ce: ce)))).ConfigureAwait(false))
            .SelectMany(x => x).OrderBy(x => CeRank(x.Ce)).ThenBy(x => x.Ce.ComputeEnvironmentName, StringComparer.Ordinal).ToList();
        var table = new TextTable("name", "instance", "state", "status", "type", "vcpus min/desired/max", "instance types", "allocation", "reason");
        foreach (var (connection, ce) in all)
        {
            var r = ce.ComputeResources;
            table.Row(ce.ComputeEnvironmentName, Instance(connections, connection), ce.State, ce.Status, CeType(ce),
                r is null ? null : $"{r.MinvCpus ?? 0}/{r.DesiredvCpus ?? 0}/{r.MaxvCpus}",
                r?.InstanceTypes is { Count: > 0 } t ? string.Join(",", t) : null, r?.AllocationStrategy, CeProblem(ce));
        }

        return new ToolOutput().Line($"{all.Count} compute environments in {Where(connections)}" + Summary(all.Select(x => CeHealth(x.Ce))))
            .Table(table).ToString();
    }

    public async Task<string> JobQueuesAsync(CancellationToken cancellationToken)
    {
        var connections = await targets.AllAsync(cancellationToken).ConfigureAwait(false);
        var all = (await Task.WhenAll(connections.Select(async c =>
            {
                var queuesTask = c.Batch.AllJobQueuesAsync(null, cancellationToken);
                var cesTask = c.Batch.AllComputeEnvironmentsAsync(null, cancellationToken);
                await Task.WhenAll(queuesTask, cesTask).ConfigureAwait(false);
                var ces = (await cesTask.ConfigureAwait(false)).ToDictionary(ce => ce.ComputeEnvironmentArn, StringComparer.Ordinal);
                return (await queuesTask.ConfigureAwait(false)).Select(q => (Connection: c, Queue: q, Ces: ces, Problem: QueueProblem(q, ces)));
            })).ConfigureAwait(false))
            .SelectMany(x => x)
            .OrderBy(x => x.Problem is null ? 1 : 0).ThenByDescending(x => x.Queue.Priority).ThenBy(x => x.Queue.JobQueueName, StringComparer.Ordinal).ToList();
        var table = new TextTable("name", "instance", "state", "status", "priority", "compute environments", "problem");
        foreach (var (connection, q, ces, problem) in all)
        {
            var order = (q.ComputeEnvironmentOrder ?? []).OrderBy(o => o.Order).Select(o =>
                ces.TryGetValue(o.ComputeEnvironment, out var ce) && CeHealth(ce) != "VALID" ? $"{ce.ComputeEnvironmentName}({CeHealth(ce)})" : JobText.Name(o.ComputeEnvironment));
            table.Row(q.JobQueueName, Instance(connections, connection), q.State, q.Status, q.Priority?.ToString(CultureInfo.InvariantCulture),
                string.Join(",", order), problem);
        }

        var problems = all.Count(x => x.Problem is not null);
        return new ToolOutput().Line($"{all.Count} job queues in {Where(connections)}" + (problems > 0 ? $"; {problems} cannot run jobs" : ""))
            .Table(table).ToString();
    }

    public async Task<string> JobDefinitionsAsync(string? name, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = Paging.Read(limit, cursor);
        var connections = await targets.AllAsync(cancellationToken).ConfigureAwait(false);
        var wanted = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        var results = await Task.WhenAll(connections.Select(async c => (Connection: c, Result: await AwsPaging.CollectAsync(
            (token, _, ct) => c.Batch.DescribeJobDefinitionsAsync(new DescribeJobDefinitionsRequest
            {
                JobDefinitionName = wanted, Status = "ACTIVE", MaxResults = 100, NextToken = token,
            }, ct),
            p => p.JobDefinitions, p => p.NextToken, new PageLimits(MaxPages: 20), null, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);

        // Without a name, one row per definition (its latest revision); with one, every active revision.
        var items = results.SelectMany(r => r.Result.Items.Select(d => (r.Connection, Def: d))).ToList();
        var groups = items.GroupBy(x => (x.Connection.InstanceId, x.Def.JobDefinitionName)).ToList();
        var rows = wanted is null
            ? groups.Select(g => (g.MaxBy(x => x.Def.Revision).Connection, g.MaxBy(x => x.Def.Revision).Def, Revisions: g.Count()))
                .OrderBy(x => x.Def.JobDefinitionName, StringComparer.Ordinal).ThenBy(x => x.Connection.InstanceId, StringComparer.Ordinal).ToList()
            : [.. items.OrderByDescending(x => x.Def.Revision).Select(x => (x.Connection, x.Def, Revisions: 1))];
        var (shown, next) = Paging.Slice(rows, page, $"batch_job_definition_list|{wanted}");
        var table = new TextTable("definition", "instance", "revs", "image", "vcpu", "mem_mib", "retries", "timeout", "type");
        foreach (var (connection, d, revisions) in shown)
        {
            var needs = JobText.Needs(d.ContainerProperties);
            table.Row($"{d.JobDefinitionName}:{d.Revision}", Instance(connections, connection),
                wanted is null && revisions > 1 ? revisions.ToString(CultureInfo.InvariantCulture) : null,
                d.ContainerProperties?.Image, needs.Vcpus?.ToString("0.##", CultureInfo.InvariantCulture), needs.MemoryMiB?.ToString(CultureInfo.InvariantCulture),
                Retries(d.RetryStrategy), d.Timeout?.AttemptDurationSeconds is { } t ? JobText.Duration(TimeSpan.FromSeconds(t)) : null,
                d.NodeProperties is { NumNodes: { } n } ? $"multinode({n})" : d.Type == "container" ? null : d.Type);
        }

        var head = rows.Count == 0
            ? wanted is null ? "No active job definitions." : $"No active job definition named '{wanted}'; omit name to list all."
            : wanted is null
                ? $"{groups.Count} active job definitions ({items.Count} revisions); latest revision shown"
                : $"{rows.Count} active revisions of {wanted}";
        var truncated = results.Any(r => r.Result.IsTruncated) ? " (first 2000 revisions read)" : "";
        return new ToolOutput().Line(head + truncated).Table(table).Page(shown.Count, rows.Count, next, page).ToString();
    }

    // The instance column only matters when several accounts or regions are listed together.
    private static string? Instance(IReadOnlyList<BatchConnection> all, BatchConnection connection) => all.Count > 1 ? connection.InstanceId : null;

    private static string Where(IReadOnlyList<BatchConnection> connections) => connections.Count == 1
        ? connections[0].Region
        : $"{connections.Count} instances ({string.Join(", ", connections.Select(c => $"{c.InstanceId} {c.Region}"))})";

    /// <summary>The state of a compute environment in one word: INVALID, DISABLED, a transition, or VALID.</summary>
    public static string CeHealth(ComputeEnvironmentDetail ce) =>
        ce.Status == "INVALID" ? "INVALID" : ce.State == "DISABLED" ? "DISABLED" : ce.Status ?? "UNKNOWN";

    /// <summary>Why a queue cannot run jobs, or null when it can.</summary>
    public static string? QueueProblem(JobQueueDetail q, IReadOnlyDictionary<string, ComputeEnvironmentDetail> ces)
    {
        if (q.State == "DISABLED")
        {
            return "queue DISABLED";
        }

        if (q.Status == "INVALID")
        {
            return "queue INVALID: " + q.StatusReason;
        }

        var attached = (q.ComputeEnvironmentOrder ?? []).Select(o => ces.TryGetValue(o.ComputeEnvironment, out var ce) ? ce : null).ToList();
        return attached.Count > 0 && attached.All(ce => ce is not null && CeHealth(ce) is "INVALID" or "DISABLED")
            ? "no usable compute environment"
            : null;
    }

    private static int CeRank(ComputeEnvironmentDetail ce) => Rank(CeHealth(ce));

    private static int Rank(string health) => health switch
    {
        "INVALID" => 0,
        "DISABLED" => 1,
        "VALID" => 3,
        _ => 2,
    };

    private static string CeType(ComputeEnvironmentDetail ce) => ce.Type == "UNMANAGED" ? "UNMANAGED"
        : ce.ComputeResources?.Type is "SPOT" && ce.ComputeResources.BidPercentage is { } bid ? $"SPOT(bid {bid}%)"
        : ce.ComputeResources?.Type ?? ce.Type ?? "";

    // A DISABLED environment still reports "ComputeEnvironment Healthy": only an unhealthy status has a reason worth showing.
    private static string? CeProblem(ComputeEnvironmentDetail ce) => ce.Status == "VALID" ? null : ce.StatusReason;

    private static string Summary(IEnumerable<string> states)
    {
        var counts = states.GroupBy(s => s).OrderBy(g => Rank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToList();
        return counts.Count == 0 ? "" : ": " + Fmt.Counts(counts);
    }

    private static string? Retries(RetryStrategy? r) => r?.Attempts is not { } a ? null
        : r.EvaluateOnExit is { Count: > 0 } rules ? $"{a} (+{rules.Count} rules)" : a.ToString(CultureInfo.InvariantCulture);
}
