using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Core.Tests;

/// <summary>A registry built the way the product builds it, with the test plugins: its pieces, loaded.</summary>
internal sealed class TestRegistry : IDisposable
{
    private TestRegistry(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public RegistryStateOwner State => Services.GetRequiredService<RegistryStateOwner>();

    public InstanceRegistry Instances => Services.GetRequiredService<InstanceRegistry>();

    public ClusterRegistry Clusters => Services.GetRequiredService<ClusterRegistry>();

    public ActiveClusters Active => Services.GetRequiredService<ActiveClusters>();

    public TargetResolver Resolver => Services.GetRequiredService<TargetResolver>();

    public ToolAdvertiser Tools => Services.GetRequiredService<ToolAdvertiser>();

    public HealthCache Health => Services.GetRequiredService<HealthCache>();

    public InstanceServiceCache Cache => Services.GetRequiredService<InstanceServiceCache>();

    public IReadOnlyList<string> ToolNames => [.. Tools.Tools.Select(t => t.ProtocolTool.Name)];

    public static async Task<TestRegistry> CreateAsync(IStateStore store, SafetyOptions? safety = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlugin<TestPlugin>();
        services.AddPlugin<OtherPlugin>();
        configure?.Invoke(services);
        services.AddCloudToolsCore(safety ?? new SafetyOptions(), _ => store);
        var provider = services.BuildServiceProvider();
        try
        {
            await provider.LoadRegistryAsync();
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        return new TestRegistry(provider);
    }

    public static JsonFileStateStore FileStore(string path) => new(path, NullLogger<JsonFileStateStore>.Instance);

    public void Dispose() => Services.Dispose();
}
