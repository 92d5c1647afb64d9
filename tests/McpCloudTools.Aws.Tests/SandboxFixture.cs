using McpCloudTools.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Aws.Tests;

/// <summary>A sandbox (default scenario) plus helpers that build contexts pointed at it.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Fast retry policy for tests: real backoff shape, tiny delays.</summary>
    public static AwsClientOptions FastRetries { get; } = new()
    {
        MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5), JitterSeed = 7,
    };

    /// <summary>A sandbox-mode context (forced endpoint and keys), as <c>--sandbox</c> builds them.</summary>
    public AwsContext Context(AwsSettings? settings = null, AwsClientOptions? options = null, TimeProvider? time = null,
        string secretKey = "test") =>
        new(settings ?? AwsSettings.Default,
            AwsEnvironment.ForSandbox(Host.Endpoint, "test", secretKey, "us-east-1", TestEnvironment.Variables()),
            new AwsRuntime(options ?? FastRetries, timeProvider: time));
}
