using System.Text.RegularExpressions;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>A sandbox (default scenario) and an MCP server with the Batch plugin, shared by the tests of one class.</summary>
public abstract partial class BatchSandbox(bool allowWrite, double clockSpeed) : IAsyncLifetime
{
    private SandboxHarness? _harness;

    public SandboxHarness Harness => _harness ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() =>
        _harness = await SandboxHarness.StartAsync(s => s.AddPlugin<BatchPlugin>(), new SandboxOptions { ClockSpeed = clockSpeed },
            new SafetyOptions { AllowWrite = allowWrite });

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    /// <summary>Calls a tool and returns its text, failing the test when the tool answered an error.</summary>
    public async Task<string> CallAsync(string tool, object? arguments = null)
    {
        var result = await Harness.CallAsync(tool, arguments);
        result.IsError.Should().NotBe(true, result.Text());
        return result.Text();
    }

    /// <summary>Calls a tool that must fail and returns the error text.</summary>
    public async Task<string> FailAsync(string tool, object? arguments = null)
    {
        var result = await Harness.CallAsync(tool, arguments);
        result.IsError.Should().BeTrue($"{tool} should have failed, but answered: {result.Text()}");
        return result.Text();
    }

    /// <summary>The id of the (newest) job named <paramref name="name"/> in <paramref name="queue"/>.</summary>
    public async Task<string> JobIdAsync(string queue, string name)
    {
        var text = await CallAsync("batch_job_list", new { queue, name });
        return JobId().Match(text) is { Success: true } m ? m.Value : throw new InvalidOperationException($"No job {name} in {queue}:\n{text}");
    }

    /// <summary>Submits a job and returns its id.</summary>
    public async Task<string> SubmitAsync(object arguments)
    {
        var text = await CallAsync("batch_job_submit", arguments);
        return SubmittedId().Match(text).Groups[1].Value;
    }

    /// <summary>Advances sandbox time and lets the simulation catch up.</summary>
    public void Advance(TimeSpan by) => Harness.Sandbox.Clock.Advance(by);

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    public static partial Regex JobId();

    [GeneratedRegex("submitted job ([0-9a-f-]{36})")]
    private static partial Regex SubmittedId();
}

/// <summary>Read-only server, real-time clock: the seeded account as it is.</summary>
public sealed class ReadOnlySandbox() : BatchSandbox(allowWrite: false, clockSpeed: 1);

/// <summary>Write tools on, sandbox time 50× faster so submitted jobs finish in a second or two.</summary>
public sealed class FastWriteSandbox() : BatchSandbox(allowWrite: true, clockSpeed: 50);

/// <summary>Write tools on, sandbox time frozen: tests move it forward step by step.</summary>
public sealed class FrozenWriteSandbox() : BatchSandbox(allowWrite: true, clockSpeed: 0);
