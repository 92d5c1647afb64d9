using System.ComponentModel;
using McpCloudTools.Plugins.Batch.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Tools;

/// <summary>Compute environments: the HPC clusters of Batch.</summary>
internal sealed class ComputeEnvironmentTools(ResourceService service)
{
    [McpServerTool(Name = "batch_compute_environment_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Compute environments: state, status, vCPUs, instance types; broken first.")]
    public Task<string> List(CancellationToken cancellationToken = default) => service.ComputeEnvironmentsAsync(cancellationToken);
}
