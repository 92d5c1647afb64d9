using System.Diagnostics;
using McpCloudTools.Core;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>
/// A slow EC2 endpoint (the sandbox's latency fault): a read tool ends at its whole-call deadline with a message that
/// names the operation, the wait and what to try, and a timeout is never "failed unexpectedly".
/// </summary>
public sealed class DeadlineTests
{
    private static SandboxOptions Slow(TimeSpan latency) => new()
    {
        ClockSpeed = 0,
        Faults = new Dictionary<string, FaultSettings> { ["ec2"] = new() { Latency = latency } },
    };

    [Fact]
    public async Task ASlowBackend_EndsAtTheCallDeadline_WithWhatWasWaitedForAndWhatToTry()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(), Slow(TimeSpan.FromSeconds(20)),
            callTimeout: TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var message = await harness.ErrorAsync("ec2_vpc_list");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12), "the deadline cuts the call, not the 20 s backend or the retries");
        message.Should().StartWith("ec2_vpc_list stopped after 2 s, its whole-call deadline, while waiting for ec2 DescribeVpcs at http://127.0.0.1:")
            .And.Contain("Narrow the request").And.Contain("--call-timeout (now 2 s)").And.Contain("check that the endpoint answers");
    }

    [Fact]
    public async Task AttemptTimeouts_OfTheSdkClient_AreATimeoutMessage_NeverFailedUnexpectedly()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(), Slow(TimeSpan.FromSeconds(3)),
            awsOptions: SandboxHarness.FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(500), MaxAttempts = 2 });

        var message = await harness.ErrorAsync("ec2_vpc_list");

        message.Should().NotContain("unexpectedly");
        message.Should().MatchRegex(@"^ec2 DescribeVpcs at http://127\.0\.0\.1:\d+ timed out after waiting \d+\.\d s over 2 attempts\. ")
            .And.Contain("Narrow the request").And.Contain("check that the endpoint answers");
    }

    [Fact]
    public async Task NoNewAttempt_StartsWhenTheDeadlineLeavesNoTimeToFinishIt()
    {
        // Attempts of 1.5 s each against a 2.5 s backend, under a 4 s deadline: after the second the time left
        // (about 1 s) is shorter than an attempt, so the call ends with the timeout, not in the middle of a third.
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(), Slow(TimeSpan.FromMilliseconds(2500)),
            awsOptions: SandboxHarness.FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(1500) }, callTimeout: TimeSpan.FromSeconds(4));

        var message = await harness.ErrorAsync("ec2_vpc_list");

        message.Should().MatchRegex(@"^ec2 DescribeVpcs at http://127\.0\.0\.1:\d+ timed out after waiting \d+\.\d s over 2 attempts \(the call's deadline left no time for another attempt; --call-timeout raises it\)\. ");
    }
}
