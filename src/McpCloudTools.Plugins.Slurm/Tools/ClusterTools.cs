using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Slurm.Tools;

/// <summary>Partitions and nodes of a Slurm cluster.</summary>
internal sealed class ClusterTools(ClusterService service)
{
    [McpServerTool(Name = "slurm_partition_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Partitions: state, nodes by state, idle/total CPUs, max time, pending jobs; unusable first.")]
    public Task<string> Partitions([Description(ToolParams.ClusterId)] string? cluster_id = null, CancellationToken cancellationToken = default) =>
        service.PartitionsAsync(cluster_id, cancellationToken);

    [McpServerTool(Name = "slurm_node_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Nodes: state, admin's reason if down/drained, CPU and memory use; problems first.")]
    public Task<string> Nodes(
        [Description("States, comma-separated"), SlurmName(SlurmName.NodeStates)] string? state = null,
        [SlurmName(SlurmName.Partition)] string? partition = null,
        [Description(ToolParams.ClusterId)] string? cluster_id = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        service.NodesAsync(cluster_id, state, partition, limit, cursor, cancellationToken);
}
