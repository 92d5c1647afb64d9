using System.ComponentModel;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Plugins.Lambda.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda.Tools;

/// <summary>Event source mappings (SQS, Kinesis, DynamoDB streams…).</summary>
public sealed class EventSourceTools(PluginRouter<LambdaPlugin> router, RelationsService relations)
{
    /// <summary>Lists event source mappings.</summary>
    [McpServerTool(Name = "lambda_event_source_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Event source mappings with state and last processing result; failing first.")]
    public async Task<string> List(
        [Description("Only this function"), LambdaName(LambdaName.Function)] string? function = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await relations.EventSourcesAsync(context, function, page, cancellationToken).ConfigureAwait(false);
    }
}
