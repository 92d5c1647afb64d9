namespace McpCloudTools.Server;

/// <summary>The plugin types this build serves: one line each.</summary>
public static class PluginSet
{
    /// <summary>Registers every plugin type.</summary>
    public static void AddAll(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        McpCloudTools.Core.CloudToolsServices.AddPlugin<McpCloudTools.Plugins.Lambda.LambdaPlugin>(services);
    }
}
