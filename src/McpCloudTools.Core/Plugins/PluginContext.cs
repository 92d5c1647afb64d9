using McpCloudTools.Core.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Core.Plugins;

/// <summary>What a plugin's per-instance operation gets: the instance, the services and the cluster registry.</summary>
/// <param name="Instance">The instance, as it was when the operation started.</param>
/// <param name="Services">The root service provider.</param>
/// <param name="Clusters">Where the plugin registers the clusters it discovers.</param>
public sealed record PluginContext(PluginInstance Instance, IServiceProvider Services, IClusterRegistrar Clusters)
{
    /// <summary>
    /// The instance's typed settings (what its plugin's <see cref="PluginBase.ParseSettings"/> made of its config),
    /// parsed once per config version. Throws a <see cref="ToolException"/> saying what is wrong when the config no
    /// longer parses (a file it names is gone).
    /// </summary>
    public T Settings<T>() where T : class => Services.GetRequiredService<InstanceServiceCache>().Settings<T>(Instance);

    /// <summary>The instance's <typeparamref name="T"/> from the <see cref="InstanceServiceCache"/>, made by <paramref name="create"/> once per config version.</summary>
    public T Service<T>(Func<PluginContext, T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        return Services.GetRequiredService<InstanceServiceCache>().Get(Instance, _ => create(this));
    }
}
