using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>One sandbox with the default scenario, shared by the tests of a class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
