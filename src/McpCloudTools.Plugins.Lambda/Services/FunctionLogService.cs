using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>A function's recent logs through the shared <see cref="LogTail"/>, from the log group the function really uses.</summary>
public sealed class FunctionLogService(LambdaClients clients, TimeProvider time)
{
    /// <summary>Recent CloudWatch Logs events of a function (its LoggingConfig.LogGroup, else /aws/lambda/&lt;name&gt;).</summary>
    public async Task<string> LogsAsync(PluginContext context, string function, string? since, string? filter,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = FunctionService.Require(function);
        var start = SinceParser.Parse(string.IsNullOrWhiteSpace(since) ? "1h" : since, time.GetUtcNow());
        var c = clients.For(context);
        var config = await c.Lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = name }, cancellationToken).ConfigureAwait(false);
        var group = FunctionText.LogGroup(config);
        try
        {
            return await LogTail.ReadAsync(c.Logs, new LogTailRequest(group, null, start, string.IsNullOrWhiteSpace(filter) ? null : filter),
                time, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            return $"{group}: no logs; the log group does not exist, so {config.FunctionName} has not run since it was created "
                + "(or its logs were deleted, or the role may not write logs).";
        }
    }

}
