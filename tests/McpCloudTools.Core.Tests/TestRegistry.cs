using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Core.Tests;

/// <summary>A registry built the way the product builds it, with the test plugins.</summary>
internal static class TestRegistry
{
    public static (PluginRegistry Registry, ServiceProvider Services) Create(IStateStore store, SafetyOptions? safety = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlugin<TestPlugin>();
        services.AddPlugin<OtherPlugin>();
        services.AddCloudToolsCore(safety ?? new SafetyOptions(), _ => store);
        var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<PluginRegistry>();
        registry.Load();
        return (registry, provider);
    }

    public static JsonFileStateStore FileStore(string path) => new(path, NullLogger<JsonFileStateStore>.Instance);
}
