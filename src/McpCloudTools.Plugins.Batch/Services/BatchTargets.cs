using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>What one plugin instance talks to: Batch, CloudWatch Logs, and its region.</summary>
/// <param name="InstanceId">The plugin instance.</param>
/// <param name="Batch">The Batch client.</param>
/// <param name="Logs">The CloudWatch Logs client (job logs).</param>
/// <param name="Context">The AWS context (region, identity).</param>
internal sealed record BatchConnection(string InstanceId, IBatchClient Batch, ICloudWatchLogsClient Logs, AwsContext Context)
{
    public string Region => Context.Region.SystemName;
}

/// <summary>A job queue a tool acts on, and how it was chosen (for the answer's first line).</summary>
/// <param name="Connection">The instance's clients.</param>
/// <param name="Queue">Queue name or ARN.</param>
/// <param name="Cluster">The cluster whose default queue it is, when none was named.</param>
internal sealed record QueueTarget(BatchConnection Connection, string Queue, ClusterInfo? Cluster);

/// <summary>The queues a queue-less listing covers.</summary>
/// <param name="Connections">The instances to read.</param>
/// <param name="Queues">The queues (of the single connection), or null for every queue of each connection.</param>
/// <param name="Cluster">The active compute environment that chose them, or null.</param>
internal sealed record QueueScope(IReadOnlyList<BatchConnection> Connections, IReadOnlyList<string>? Queues, ClusterInfo? Cluster);

/// <summary>
/// Clients per plugin instance (rebuilt when its config changes) and the routing of tool calls. The tools take no
/// <c>instance</c> argument (every byte of tools/list is paid on every turn): what they act on names its account
/// itself. A job id is a UUID, found in whichever enabled instance has it (the default one first); a queue is the
/// active cluster's, or a name looked up in each instance; account-wide lists cover every enabled instance.
/// </summary>
internal sealed class BatchTargets(PluginRouter<BatchPlugin> router, AwsContextProvider aws)
{
    /// <summary>Cluster config key: the compute environment's ARN.</summary>
    public const string ArnKey = "arn";

    /// <summary>Cluster config key: the queues that use the compute environment, enabled first, highest priority first.</summary>
    public const string QueuesKey = "queues";

    /// <summary>The clients of an instance, kept in the Core per-instance cache (rebuilt when its config changes).</summary>
    public BatchConnection Connect(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service(c =>
        {
            var region = aws.For(c);
            return new BatchConnection(c.Instance.Id, new BatchClient(region), new CloudWatchLogsClient(region), region);
        });
    }

    /// <summary>Every enabled Batch instance, initialised; the default one (the active cluster's, else the first) first.</summary>
    public async Task<IReadOnlyList<BatchConnection>> AllAsync(CancellationToken cancellationToken) =>
        [.. (await router.AllInstancesAsync(cancellationToken).ConfigureAwait(false)).Select(Connect)];

    /// <summary>The job with this id and the instance that has it.</summary>
    public async Task<(BatchConnection Connection, JobDetail Job)> JobAsync(string jobId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(jobId))
        {
            throw new ToolException("job_id is required: the job's id (a UUID; an array child is <array job id>:<index>). batch_job_list shows them.");
        }

        var id = jobId.Trim();
        var connections = await AllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var connection in connections)
        {
            if (await connection.Batch.JobAsync(id, cancellationToken).ConfigureAwait(false) is { } job)
            {
                return (connection, job);
            }
        }

        var where = connections.Count == 1
            ? $"{connections[0].Region} (instance {connections[0].InstanceId})"
            : $"any enabled instance ({string.Join(", ", connections.Select(c => $"{c.InstanceId} in {c.Region}"))})";
        throw new ToolException($"No job '{id}' in {where}. Job ids are UUIDs (not names); Batch keeps jobs about 7 days after they end. " +
            "batch_job_list shows current jobs (name filter: name=...).");
    }

    /// <summary>The queue to act on: <paramref name="queue"/> when given, else the active (or only) Batch cluster's default queue.</summary>
    public async Task<QueueTarget> QueueAsync(string? queue, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(queue))
        {
            var name = queue.Trim();
            return new QueueTarget(await OwnerOfQueueAsync(name, cancellationToken).ConfigureAwait(false), name, null);
        }

        ClusterTarget target;
        try
        {
            target = await router.ClusterAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e) when (e is not AwsServiceException and not AwsConfigurationException)
        {
            var clusters = router.Clusters.Select(c => c.Id).ToList();
            throw new ToolException("No queue given and no active Batch cluster to take the default queue from. Pass queue " +
                "(batch_job_queue_list shows them)" + (clusters.Count > 0 ? $" or activate a cluster with cluster_activate ({string.Join(", ", clusters)})." : "."), e);
        }

        var first = QueuesOf(target.Cluster) is [var q, ..] ? q
            : throw new ToolException($"Compute environment '{target.Cluster.Name}' (cluster {target.Cluster.Id}) is attached to no job queue, so it " +
                "has no default queue. Pass queue (batch_job_queue_list shows them) or activate another Batch cluster.");
        return new QueueTarget(Connect(target.Plugin), first, target.Cluster);
    }

    /// <summary>
    /// What a queue-less job listing covers: the active Batch cluster's queues (in its instance), or, with no Batch
    /// cluster active, every queue of every enabled instance. <c>Queues</c> is null for "all of them".
    /// </summary>
    public async Task<QueueScope> ScopeAsync(CancellationToken cancellationToken)
    {
        if (router.ActiveCluster is not { } active)
        {
            return new QueueScope(await AllAsync(cancellationToken).ConfigureAwait(false), null, null);
        }

        var target = await router.ClusterAsync(active.Id, cancellationToken).ConfigureAwait(false);
        return new QueueScope([Connect(target.Plugin)], QueuesOf(target.Cluster), target.Cluster);
    }

    /// <summary>The queues that use a compute environment (cluster config), enabled and highest priority first.</summary>
    public static IReadOnlyList<string> QueuesOf(ClusterInfo cluster) =>
        cluster.Get(QueuesKey)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    // With one instance, it owns every queue (an unknown name fails later with AWS's own message). With several, the
    // one whose account has the queue; a queue ARN names its account, so only that one finds it.
    private async Task<BatchConnection> OwnerOfQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var connections = await AllAsync(cancellationToken).ConfigureAwait(false);
        if (connections.Count == 1)
        {
            return connections[0];
        }

        var found = await Task.WhenAll(connections.Select(async c => (Connection: c, Queue: await c.Batch.JobQueueAsync(queue, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);
        var owners = found.Where(f => f.Queue is not null).Select(f => f.Connection).ToList();
        return owners.Count switch
        {
            1 => owners[0],
            0 => throw new ToolException($"No job queue '{queue}' in any enabled Batch instance ({string.Join(", ", connections.Select(c => $"{c.InstanceId} in {c.Region}"))}). " +
                                         "batch_job_queue_list shows them."),
            // The default instance comes first: when it has the queue, it is the one meant.
            _ => owners[0] == connections[0] ? owners[0] : throw new ToolException(
                $"Job queue '{queue}' exists in several instances ({string.Join(", ", owners.Select(o => o.InstanceId))}). Pass its ARN, or activate a cluster " +
                "of the instance you mean (cluster_activate)."),
        };
    }
}
