using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.Plugins;

/// <summary>What a plugin's per-instance operation gets: the instance, the services and the cluster registry.</summary>
/// <param name="Instance">The instance, as it was when the operation started.</param>
/// <param name="Services">The root service provider.</param>
/// <param name="Clusters">Where the plugin registers the clusters it discovers.</param>
public sealed record PluginContext(PluginInstance Instance, IServiceProvider Services, IClusterRegistrar Clusters);
