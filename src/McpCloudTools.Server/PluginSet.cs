using McpCloudTools.Core;

namespace McpCloudTools.Server;

/// <summary>The plugin types this build serves: one line each.</summary>
public static class PluginSet
{
    /// <summary>Registers every plugin type.</summary>
    public static void AddAll(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPlugin<McpCloudTools.Plugins.Ec2.Ec2Plugin>();
        services.AddPlugin<McpCloudTools.Plugins.Batch.BatchPlugin>();
        services.AddPlugin<McpCloudTools.Plugins.Eks.EksPlugin>();
        services.AddPlugin<McpCloudTools.Plugins.Lambda.LambdaPlugin>();
        services.AddPlugin<McpCloudTools.Plugins.Slurm.SlurmPlugin>();
    }
}
