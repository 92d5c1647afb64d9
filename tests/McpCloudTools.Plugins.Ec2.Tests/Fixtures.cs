using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>The default account (25 instances), read-only server, sandbox time frozen; shared by tests that change nothing.</summary>
public sealed class DefaultFleetFixture : IAsyncLifetime
{
    public SandboxHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await Ec2Harness.StartAsync();

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>5,000 instances (25 curated plus a bulk fleet), read-only server, sandbox time frozen.</summary>
public sealed class LargeFleetFixture : IAsyncLifetime
{
    public const int Instances = 5000;

    public SandboxHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await Ec2Harness.StartAsync(instances: Instances);

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
