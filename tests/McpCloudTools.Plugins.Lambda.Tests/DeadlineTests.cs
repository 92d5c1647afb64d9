using System.Diagnostics;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>
/// The whole-call deadline through our own clients (restJson Lambda): reads end at it with a message naming the
/// operation; the retry handler starts no attempt the deadline leaves no time for; write tools are not cut.
/// </summary>
public sealed class DeadlineTests
{
    private static SandboxOptions Slow(TimeSpan latency) => new()
    {
        Faults = new Dictionary<string, FaultSettings> { ["lambda"] = new() { Latency = latency } },
    };

    [Fact]
    public async Task ASlowBackend_EndsAReadAtTheDeadline_NamingTheOperation()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), Slow(TimeSpan.FromSeconds(20)),
            callTimeout: TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var result = await harness.CallAsync("lambda_function_list");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12));
        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith("lambda_function_list stopped after 2 s, its whole-call deadline, while waiting for lambda ListFunctions at http://127.0.0.1:")
            .And.Contain("--call-timeout (now 2 s)");
    }

    [Fact]
    public async Task TheRetryHandler_StartsNoAttemptTheDeadlineCannotFit()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), Slow(TimeSpan.FromMilliseconds(2500)),
            awsOptions: SandboxHarness.FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(1500) }, callTimeout: TimeSpan.FromSeconds(4));

        var result = await harness.CallAsync("lambda_account_settings");

        result.IsError.Should().BeTrue();
        result.Text().Should().MatchRegex(@"^lambda GetAccountSettings at http://127\.0\.0\.1:\d+ timed out after waiting \d+\.\d s over 2 attempts \(the call's deadline left no time for another attempt; --call-timeout raises it\)\. ")
            .And.Contain("check that the endpoint answers");
    }

    [Fact]
    public async Task AWriteTool_IsNotCutByTheReadDeadline()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), Slow(TimeSpan.FromMilliseconds(1500)),
            new SafetyOptions { AllowWrite = true }, callTimeout: TimeSpan.FromSeconds(1));

        var result = await harness.CallAsync("lambda_function_invoke", new { function = "orders-api", payload = "{}" });

        result.IsError.Should().NotBe(true, "cutting a change halfway would leave the agent not knowing whether it ran: " + result.Text());
        result.Text().Should().StartWith("orders-api: succeeded");
    }
}
