using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Plugins;

namespace CustomPlugin;

/// <summary>
/// The CloudWatch Logs client of a plugin instance, kept in the Core per-instance cache: one per instance and config
/// version, rebuilt when its config changes (new region, profile or role), disposed when the instance goes.
/// </summary>
public sealed class LogsClients(AwsContextProvider aws)
{
    /// <summary>The client of <paramref name="context"/>'s instance.</summary>
    public ICloudWatchLogsClient For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service<ICloudWatchLogsClient>(c => new CloudWatchLogsClient(aws.For(c)));
    }

    /// <summary>The instance's region, for answers.</summary>
    public string Region(PluginContext context) => aws.For(context).Region.SystemName;
}
