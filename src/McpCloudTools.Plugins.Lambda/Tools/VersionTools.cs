using System.ComponentModel;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Plugins.Lambda.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda.Tools;

/// <summary>Published versions of a function.</summary>
public sealed class VersionTools(PluginRouter<LambdaPlugin> router, RelationsService relations)
{
    /// <summary>Lists versions.</summary>
    [McpServerTool(Name = "lambda_version_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Versions, newest first, with the aliases and traffic shares on each.")]
    public async Task<string> List(
        [Description(FunctionTools.Function), LambdaName(LambdaName.Function)] string function,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await relations.VersionsAsync(context, function, page, cancellationToken).ConfigureAwait(false);
    }
}
