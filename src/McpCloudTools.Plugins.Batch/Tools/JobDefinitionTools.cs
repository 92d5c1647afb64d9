using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch.Tools;

/// <summary>Job definitions.</summary>
internal sealed class JobDefinitionTools(ResourceService service)
{
    [McpServerTool(Name = "batch_job_definition_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Active job definitions: image, vCPU, MiB, retries, timeout.")]
    public Task<string> List(
        [Description("Name: every revision"), BatchName(BatchName.DefinitionName)] string? name = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        service.JobDefinitionsAsync(name, limit, cursor, cancellationToken);
}
