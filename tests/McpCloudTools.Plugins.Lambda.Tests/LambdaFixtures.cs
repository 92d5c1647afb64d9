using System.Runtime.CompilerServices;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Sandbox.Services.Lambda;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>Runs before any test: nothing in this assembly may reach the instance-metadata address or real credentials.</summary>
internal static class ModuleSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TestEnvironment.Initialize();
}

/// <summary>A sandbox (default scenario) plus an MCP server with the Lambda plugin pointed at it.</summary>
public abstract class LambdaFixture : IAsyncLifetime
{
    /// <summary>The running sandbox and MCP client.</summary>
    public SandboxHarness Harness { get; private set; } = null!;

    /// <summary>The sandbox's Lambda, for invocation counts.</summary>
    public LambdaService Lambda => Harness.Sandbox.Service<LambdaService>();

    /// <summary>Sandbox options; default: the default scenario at real-time speed.</summary>
    protected virtual SandboxOptions SandboxOptions => new();

    /// <summary>Safety options; default: read-only, redacted.</summary>
    protected virtual SafetyOptions Safety => new();

    /// <summary>The AWS retry policy; default: the harness's fast retries.</summary>
    protected virtual AwsClientOptions? AwsOptions => null;

    /// <summary>Calls a tool.</summary>
    public Task<CallToolResult> CallAsync(string tool, object? arguments = null) => Harness.CallAsync(tool, arguments);

    /// <summary>Calls a tool that must succeed and returns its text.</summary>
    public async Task<string> TextAsync(string tool, object? arguments = null)
    {
        var result = await Harness.CallAsync(tool, arguments);
        result.IsError.Should().NotBe(true, result.Text());
        return result.Text();
    }

    /// <summary>Calls a tool that must fail and returns its message.</summary>
    public async Task<string> ErrorAsync(string tool, object? arguments = null)
    {
        var result = await Harness.CallAsync(tool, arguments);
        result.IsError.Should().BeTrue(result.Text());
        return result.Text();
    }

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), SandboxOptions, Safety, AwsOptions);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>Read-only, values redacted: the default server.</summary>
public sealed class ReadOnlyFixture : LambdaFixture;

/// <summary>--allow-write, sandbox at real-time speed (logs written by invocations are readable at once).</summary>
public sealed class WriteFixture : LambdaFixture
{
    /// <inheritdoc />
    protected override SafetyOptions Safety => new() { AllowWrite = true };
}

/// <summary>--allow-write with sandbox time 30× faster, so functions that run seconds return in milliseconds.</summary>
public sealed class FastClockWriteFixture : LambdaFixture
{
    /// <inheritdoc />
    protected override SandboxOptions SandboxOptions => new() { ClockSpeed = 30 };

    /// <inheritdoc />
    protected override SafetyOptions Safety => new() { AllowWrite = true };
}

/// <summary>--allow-write with sandbox time frozen, so an update stays InProgress until a test advances the clock.</summary>
public sealed class FrozenClockWriteFixture : LambdaFixture
{
    /// <inheritdoc />
    protected override SandboxOptions SandboxOptions => new() { ClockSpeed = 0 };

    /// <inheritdoc />
    protected override SafetyOptions Safety => new() { AllowWrite = true };
}

/// <summary>--allow-write and --allow-sensitive-data, clock frozen.</summary>
public sealed class SensitiveWriteFixture : LambdaFixture
{
    /// <inheritdoc />
    protected override SandboxOptions SandboxOptions => new() { ClockSpeed = 0 };

    /// <inheritdoc />
    protected override SafetyOptions Safety => new() { AllowWrite = true, AllowSensitiveData = true };
}
