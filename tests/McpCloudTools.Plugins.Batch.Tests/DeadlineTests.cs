using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>A *_wait tool keeps its own documented timeout: the read deadline comes on top of the wait it was asked for.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task JobWait_RunsItsOwnTimeout_EvenPastTheReadDeadline()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<BatchPlugin>(), new SandboxOptions { ClockSpeed = 0 },
            new SafetyOptions { AllowWrite = true }, callTimeout: TimeSpan.FromSeconds(1));
        var submitted = await harness.CallAsync("batch_job_submit", new { name = "stuck-deadline", definition = "hello-world", queue = "gpu-queue" });
        var id = BatchSandbox.JobId().Match(submitted.Text()).Value;

        var waited = await harness.CallAsync("batch_job_wait", new { job_id = id, timeout_seconds = 3 });

        waited.IsError.Should().NotBe(true, waited.Text());
        waited.Text().Should().StartWith($"job {id} (stuck-deadline) is still ").And.Contain("after waiting 3s");
    }
}
