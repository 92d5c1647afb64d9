using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>The Lambda and CloudWatch Logs clients of one plugin instance.</summary>
/// <param name="Lambda">Lambda.</param>
/// <param name="Logs">CloudWatch Logs, for function logs.</param>
/// <param name="Context">The instance's AWS context (region, for messages).</param>
public sealed record LambdaInstanceClients(ILambdaClient Lambda, ICloudWatchLogsClient Logs, AwsContext Context);

/// <summary>The clients of a plugin instance, kept in the Core per-instance cache (rebuilt when its config changes).</summary>
public sealed class LambdaClients(AwsContextProvider aws)
{
    /// <summary>The clients of <paramref name="context"/>'s instance.</summary>
    public LambdaInstanceClients For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service(c =>
        {
            var region = aws.For(c);
            return new LambdaInstanceClients(new LambdaClient(region), new CloudWatchLogsClient(region), region);
        });
    }
}
