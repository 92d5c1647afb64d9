using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>Partitions and nodes: what can run work now, and what cannot and why.</summary>
internal sealed class ClusterService(SlurmTargets targets, TimeProvider time)
{
    private static readonly string[] NodeStateOrder = ["idle", "mixed", "allocated", "down", "drained", "draining"];

    public async Task<string> PartitionsAsync(string? clusterId, CancellationToken cancellationToken)
    {
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var partitionsTask = target.Client.PartitionsAsync(cancellationToken);
        var nodesTask = target.Client.NodesAsync(cancellationToken);
        var jobsTask = target.Client.JobsAsync(cancellationToken);
        await Task.WhenAll(partitionsTask, nodesTask, jobsTask).ConfigureAwait(false);
        var nodes = await nodesTask.ConfigureAwait(false);
        var jobs = await jobsTask.ConfigureAwait(false);
        var rows = (await partitionsTask.ConfigureAwait(false)).Select(p =>
        {
            var members = nodes.Where(n => n.Partitions.Contains(p.Name)).ToList();
            var usable = members.Where(SlurmText.IsUsable).ToList();
            return (Partition: p, Members: members, Usable: usable.Count,
                IdleCpus: usable.Sum(n => Math.Max(0, n.Cpus - n.AllocatedCpus)),
                Pending: jobs.Count(j => j.State == "PENDING" && j.Partition.Split(',').Contains(p.Name)));
        }).OrderBy(r => r.Partition.State == "UP" && r.Usable > 0 ? 1 : 0).ThenBy(r => r.Partition.Name, StringComparer.Ordinal).ToList();

        var unusable = rows.Count(r => r.Partition.State != "UP" || r.Usable == 0);
        var output = new ToolOutput().Line($"partitions of {target.Cluster.Id}: {rows.Count}" + (unusable > 0 ? $"; {unusable} cannot start jobs" : "; all can start jobs") +
                                          $"; nodes: {NodeCounts(nodes)}");
        var table = new TextTable("partition", "state", "nodes", "by state", "cpus idle/total", "max time", "pending", "problem");
        foreach (var r in rows)
        {
            var p = r.Partition;
            var problem = p.State != "UP" ? $"partition {p.State}: jobs queue but do not start"
                : r.Members.Count > 0 && r.Usable == 0 ? "no usable node" : null;
            table.Row(p.Name + (p.IsDefault ? "*" : ""), p.State, p.TotalNodes.ToString(CultureInfo.InvariantCulture), NodeCounts(r.Members),
                $"{r.IdleCpus}/{p.TotalCpus}", SlurmText.Minutes(p.MaxTimeMinutes), r.Pending.ToString(CultureInfo.InvariantCulture), problem);
        }

        output.Table(table);
        if (rows.Any(r => r.Partition.IsDefault))
        {
            output.Line("* default partition");
        }

        return output.ToString();
    }

    public async Task<string> NodesAsync(string? clusterId, string? state, string? partition, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = Paging.Read(limit, cursor);
        var partitionName = SlurmNames.Partition.Optional(partition, "partition");
        var states = SlurmNames.NodeStates.Optional(state, "state") is { } s ? SlurmNames.StateSet(s, upper: false) : null;
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var all = await target.Client.NodesAsync(cancellationToken).ConfigureAwait(false);
        var inPartition = all.Where(n => partitionName is null || n.Partitions.Contains(partitionName)).ToList();
        if (partitionName is not null && inPartition.Count == 0)
        {
            var known = all.SelectMany(n => n.Partitions).Distinct().Order(StringComparer.Ordinal);
            throw new ToolException($"No node is in partition '{partitionName}'. Partitions: {string.Join(", ", known)}.");
        }

        var nodes = inPartition.Where(n => states is null || states.Contains(SlurmText.NodeState(n).TrimEnd('*', '~')))
            .OrderBy(SlurmText.NodeRank).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        var scope = $"slurm_node_list|{target.Cluster.Id}|{partitionName}|{state}";
        var (items, next) = Paging.Slice(nodes, page, scope);
        var now = time.GetUtcNow();
        var output = new ToolOutput().Line($"nodes of {target.Cluster.Id}" + (partitionName is null ? "" : $" in {partitionName}") +
                                          $": {nodes.Count}" + (nodes.Count > 0 ? $"; {NodeCounts(nodes)}" : ""));
        var table = new TextTable("node", "state", "cpus alloc/total", "mem alloc/total", "load", "partitions", "features", "reason");
        foreach (var n in items)
        {
            var reason = n.Reason is { } r ? r + (n.ReasonSetBy is { } by ? $" ({by}" + (n.ReasonSince is { } at ? $", {Fmt.Age(at, now)} ago)" : ")") : "") : null;
            table.Row(n.Name, SlurmText.NodeState(n), $"{n.AllocatedCpus}/{n.Cpus}", $"{SlurmText.Megabytes(n.AllocatedMemoryMb)}/{SlurmText.Megabytes(n.MemoryMb)}",
                n.CpuLoad is { } l ? (l / 100.0).ToString("0.00", CultureInfo.InvariantCulture) : null, string.Join(",", n.Partitions),
                string.Join(",", n.Features), reason is null ? null : Fmt.Truncate(reason, 80));
        }

        output.Table(table);
        if (items.Any(n => SlurmText.NodeState(n).EndsWith('*')))
        {
            output.Line("* not responding");
        }

        return output.Page(items.Count, nodes.Count, next, page).ToString();
    }

    /// <summary>Nodes by the five states people ask about, then any other.</summary>
    public static string NodeCounts(IEnumerable<SlurmNode> nodes)
    {
        var groups = nodes.GroupBy(n => SlurmText.NodeState(n).TrimEnd('*', '~')).ToDictionary(g => g.Key, g => g.Count());
        var order = NodeStateOrder.Concat(groups.Keys.Except(NodeStateOrder).Order(StringComparer.Ordinal));
        return Fmt.Counts(order.Select(s => new KeyValuePair<string, int>(s, groups.GetValueOrDefault(s)))) is { Length: > 0 } c ? c : "none";
    }
}
