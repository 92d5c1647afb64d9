using System.ComponentModel;
using McpCloudTools.Plugins.Batch.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Tools;

/// <summary>Job queues.</summary>
internal sealed class JobQueueTools(ResourceService service)
{
    [McpServerTool(Name = "batch_job_queue_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Job queues: state, priority, compute environments; unusable first.")]
    public Task<string> List(CancellationToken cancellationToken = default) => service.JobQueuesAsync(cancellationToken);
}
