using McpCloudTools.Aws;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>
/// The EC2 client of a plugin instance, kept in the Core per-instance cache: one per instance and config version,
/// rebuilt when the config changes, disposed when it is retired.
/// </summary>
public sealed class Ec2Clients(AwsContextProvider aws)
{
    /// <summary>The EC2 client of <paramref name="context"/>'s instance.</summary>
    public Ec2Api For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service(c => new Ec2Api(aws.For(c)));
    }
}
