using System.Diagnostics;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Lambda;
using McpCloudTools.Testing;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// A synchronous <c>lambda_function_invoke</c> waits as long as the function may run (its configured timeout plus a
/// margin), not the per-call network timeout; when even that runs out, the message says the function may still be
/// running and how to look. The sandbox's functions run on its clock, so long runs are quick here: at clock speed 10
/// a 40-second report takes 4 real seconds, against a network timeout of 2 s standing in for the default 30 s.
/// </summary>
public sealed class LambdaLongInvokeTests
{
    private static readonly Aws.AwsClientOptions ShortAttempts = SandboxHarness.FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Invoke_LongerThanTheNetworkTimeout_WaitsForTheFunction()
    {
        await using var h = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), new SandboxOptions { ClockSpeed = 10 },
            new SafetyOptions { AllowWrite = true }, ShortAttempts);
        var clock = Stopwatch.StartNew();

        var result = await h.CallAsync("lambda_function_invoke", new { function = "report-generator", payload = new { seconds = 40 } });

        var text = result.Text();
        result.IsError.Should().NotBe(true, text);
        text.Should().StartWith("report-generator: succeeded, HTTP 200")
            .And.Contain("""{"status":"done","seconds":40}""")
            .And.Contain("report done in 40 s")
            .And.MatchRegex(@"REPORT RequestId: \S+\tDuration: 40000\.00 ms\tBilled Duration: 40000 ms\tMemory Size: 2048 MB");
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(3), "40 sandbox seconds at speed 10");
    }

    [Fact]
    public async Task Invoke_WithNoAnswerWithinTheFunctionsTimeout_SaysItMayStillRun_AndHowToCheck()
    {
        // At speed 0.2 the 3-second timeout of thumbnail-worker lasts 15 real seconds: longer than the 3 + 10 s waited.
        await using var h = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), new SandboxOptions { ClockSpeed = 0.2 },
            new SafetyOptions { AllowWrite = true }, ShortAttempts);

        var result = await h.CallAsync("lambda_function_invoke", new { function = "thumbnail-worker" });

        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith("thumbnail-worker gave no answer within 13 s (its timeout of 3 s plus 10 s).")
            .And.Contain("not retried").And.Contain("may still be running")
            .And.Contain("lambda_function_logs function=thumbnail-worker")
            .And.NotContain("Check the network").And.NotContain("endpoint answers");
        h.Sandbox.Service<Services.Lambda.LambdaService>().Invocations("thumbnail-worker").Should().Be(1, "an ambiguous invoke is never replayed");
    }
}
