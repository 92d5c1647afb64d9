using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Sandbox.Services.Lambda;
using McpCloudTools.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>
/// Throttling and ambiguous failures through the shared retry pipeline (each test has its own sandbox: faults are per
/// host). Reads are retried; Invoke is retried only when the service clearly refused it.
/// </summary>
public sealed class FaultTests
{
    private static readonly SafetyOptions Write = new() { AllowWrite = true };

    [Fact]
    public async Task ThrottledReads_AreAbsorbedByRetries_HonouringRetryAfter()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(),
            awsOptions: SandboxHarness.FastRetries with { MaxDelay = TimeSpan.FromSeconds(2) });
        harness.Sandbox.Faults.Set("lambda", new FaultSettings { ThrottleNext = 2, RetryAfterSeconds = 1 });

        var result = await harness.CallAsync("lambda_function_get", new { function = "orders-api" });

        result.IsError.Should().NotBe(true, result.Text());
        result.Text().Should().StartWith("orders-api ($LATEST): Active");
        harness.Sandbox.Faults.Snapshot()["lambda"].ThrottleNext.Should().Be(0, "both throttles were met and retried");
    }

    [Fact]
    public async Task PersistentThrottling_EndsInAClearError()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>());
        harness.Sandbox.Faults.Set("lambda", new FaultSettings { ThrottleRate = 1 });

        var result = await harness.CallAsync("lambda_account_settings");

        result.IsError.Should().BeTrue();
        result.Text().Should().MatchRegex(@"^Throttled by lambda GetAccountSettings 4 times over [\d.]+ s \(TooManyRequestsException\); retry later or lower the request rate\.$");
    }

    [Fact]
    public async Task Invoke_IsRetriedWhenThrottled_AndRunsOnce()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), safety: Write);
        harness.Sandbox.Faults.Set("lambda", new FaultSettings { ThrottleNext = 2 });

        var result = await harness.CallAsync("lambda_function_invoke", new { function = "orders-api", payload = "{}" });

        result.Text().Should().StartWith("orders-api: succeeded");
        harness.Sandbox.Service<LambdaService>().Invocations("orders-api").Should().Be(1);
    }

    [Fact]
    public async Task Invoke_IsNotRetriedAfterAServerError()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), safety: Write);
        // A first call reads (and caches) the function's timeout, so the fault below hits the Invoke itself.
        (await harness.CallAsync("lambda_function_invoke", new { function = "orders-api", payload = "{}" })).IsError.Should().NotBe(true);
        harness.Sandbox.Faults.Set("lambda", new FaultSettings { ErrorNext = 1 });

        var result = await harness.CallAsync("lambda_function_invoke", new { function = "orders-api", payload = "{}" });

        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith("lambda Invoke failed on the AWS side (ServiceException).")
            .And.EndWith("The invocation may or may not have run, so it was not retried; check lambda_function_logs before invoking again.");
        harness.Sandbox.Service<LambdaService>().Invocations("orders-api").Should().Be(1, "a retry would have reached the function");
    }

    [Fact]
    public async Task Invoke_OutlastingTheAttemptTimeout_WaitsForTheFunction_AndRunsItOnce()
    {
        // 20 sandbox seconds at speed 20 is 1 s, beyond the 300 ms attempt timeout but within the function's 60 s.
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(), new SandboxOptions { ClockSpeed = 20 }, Write,
            SandboxHarness.FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await harness.CallAsync("lambda_function_invoke", new { function = "report-generator", payload = """{"seconds": 20}""" });

        result.IsError.Should().NotBe(true, result.Text());
        result.Text().Should().StartWith("report-generator: succeeded");
        harness.Sandbox.Service<LambdaService>().Invocations("report-generator").Should().Be(1);
    }

    [Fact]
    public async Task UpdateFunctionConfiguration_IsNotRetriedAfterAServerError()
    {
        // At client level: through the tool the read that precedes the update would absorb the injected fault.
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { ClockSpeed = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        var context = new AwsContext(AwsSettings.Default,
            AwsEnvironment.ForSandbox(sandbox.Endpoint, "test", "test", "us-east-1", _ => null), new AwsRuntime(SandboxHarness.FastRetries));
        var lambda = new LambdaClient(context);
        sandbox.Faults.Set("lambda", new FaultSettings { ErrorNext = 1 });

        var update = () => lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "orders-api", MemorySize = 512 },
            CancellationToken.None);

        var error = (await update.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Unavailable);
        error.ErrorCode.Should().Be("ServiceException");
        var after = await lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = "orders-api" }, CancellationToken.None);
        after.MemorySize.Should().Be(256, "the one attempt was refused and no second one was sent");
        after.LastUpdateStatus.Should().Be("Successful");
    }
}
