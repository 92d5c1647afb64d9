using System.Text;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>lambda_function_invoke with --allow-write, sandbox time at real speed.</summary>
public sealed class InvokeTests(WriteFixture fixture) : IClassFixture<WriteFixture>
{
    [Fact]
    public async Task Invoke_EchoFunction_ReturnsThePayloadAndTheDecodedLogTail()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "orders-api", payload = """{"orderId": 42}""" });

        var lines = text.Split('\n');
        lines[0].Should().Be("orders-api: succeeded, HTTP 200, version $LATEST");
        lines[1].Should().Be("""payload (15B): {"orderId": 42}""");
        lines[2].Should().Be("log tail (last 4 KB):");
        lines[3].Should().MatchRegex(@"^START RequestId: [0-9a-f-]{36} Version: \$LATEST$");
        lines[4].Should().Contain("INFO").And.Contain("echoing 15 bytes");
        lines[5].Should().StartWith("END RequestId: ");
        lines[6].Should().MatchRegex(@"^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB");
    }

    [Fact]
    public async Task Invoke_PayloadMayBeAJsonObjectRatherThanText()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "orders-api", payload = new { orderId = 7, items = new[] { "a" } } });

        text.Split('\n')[1].Should().Be("""payload (27B): {"orderId":7,"items":["a"]}""");
    }

    [Fact]
    public async Task Invoke_FailingFunction_IsAFunctionErrorResultNotAToolError()
    {
        var result = await fixture.CallAsync("lambda_function_invoke", new { function = "payments-webhook", payload = "{}" });

        result.IsError.Should().NotBe(true, "the call worked; the function failed, and the result says so");
        var text = result.Text();
        text.Should().StartWith("payments-webhook: FUNCTION ERROR (Unhandled), HTTP 200, version $LATEST\n")
            .And.Contain("error: ValueError: Invalid webhook signature\n")
            .And.Contain("stack: File \"/var/task/fail.py\", line 14, in handler | verify(event) | File \"/var/task/fail.py\", line 9, in verify")
            .And.MatchRegex(@"payload: \d+B \(the error above\)")
            .And.Contain("[ERROR] ValueError: Invalid webhook signature");
        fixture.Harness.Sandbox.Context.Logs.Streams("/custom/payments-webhook").Should().NotBeNull("the function logs to its configured group");
    }

    [Fact]
    public async Task Invoke_LargePayload_IsCappedWithItsFullSizeStated()
    {
        var big = $$"""{"data":"{{new string('x', 20_000)}}"}""";

        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "orders-api", payload = big });

        var payloadLine = text.Split('\n')[1];
        payloadLine.Should().StartWith("payload (20KiB, first 4000 chars shown): {\"data\":\"xxx").And.EndWith("x…");
        payloadLine.Length.Should().BeLessThan(4100);
    }

    [Fact]
    public async Task Invoke_ChattyFunction_TailIsTheLast4KBWhileCloudWatchLogsKeepsEverything()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "audit-logger", payload = """{"lines": 300}""" });

        var tail = text[(text.IndexOf("log tail (last 4 KB):\n", StringComparison.Ordinal) + 22)..];
        Encoding.UTF8.GetByteCount(tail).Should().BeLessThanOrEqualTo(4096);
        tail.Should().Contain("audit event 300 of 300").And.NotContain("audit event 1 of 300").And.Contain("REPORT RequestId");
        text.Should().Contain("""payload (15B): {"printed":300}""");

        var logs = await fixture.TextAsync("lambda_function_logs", new { function = "audit-logger", since = "5m" });
        logs.Should().StartWith("/aws/lambda/audit-logger: 303 events since").And.Contain("audit event 300 of 300");
    }

    [Fact]
    public async Task Invoke_Event_QueuesTheCallAndItsLogsAppearWithoutAResult()
    {
        var before = fixture.Lambda.Invocations("thumbnail-worker");

        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "thumbnail-worker", invocation_type = "event" });

        text.Should().Be("thumbnail-worker: queued (Event, HTTP 202); it runs asynchronously, so its result shows only in lambda_function_logs.");
        fixture.Lambda.Invocations("thumbnail-worker").Should().Be(before + 1);
    }

    [Fact]
    public async Task Invoke_DryRun_ChecksWithoutRunningAnything()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "report-generator", invocation_type = "DryRun" });

        var failed = await fixture.TextAsync("lambda_function_invoke", new { function = "image-resizer", invocation_type = "DryRun" });

        text.Should().Be("report-generator: DryRun passed (HTTP 204): the call is allowed and valid; nothing ran.");
        failed.Should().StartWith("image-resizer: DryRun passed", "a dry run checks permission and parameters, not the function's state");
        fixture.Lambda.Invocations("report-generator").Should().Be(0);
    }

    [Fact]
    public async Task Invoke_InvalidJsonPayload_IsRefusedBeforeAnythingRuns()
    {
        var error = await fixture.ErrorAsync("lambda_function_invoke", new { function = "report-generator", payload = "{order: 1" });

        error.Should().StartWith("payload is not valid JSON (").And.EndWith("Pass a JSON object such as {\"orderId\": 42} (or JSON text in a string); omit it for an empty event.");
        fixture.Lambda.Invocations("report-generator").Should().Be(0);
    }

    [Fact]
    public async Task Invoke_UnknownInvocationType_NamesTheValidOnes()
    {
        var error = await fixture.ErrorAsync("lambda_function_invoke", new { function = "orders-api", invocation_type = "Async" });

        error.Should().Be("invocation_type 'Async' is not valid: use RequestResponse (wait for the result), Event (queue it, no result) or DryRun (check permission and parameters, run nothing).");
    }

    [Fact]
    public async Task Invoke_FunctionInFailedState_IsRefusedWithTheState()
    {
        var error = await fixture.ErrorAsync("lambda_function_invoke", new { function = "image-resizer" });

        error.Should().Contain("(ResourceConflictException)").And.Contain("The function is currently in the following state: Failed");
    }

    [Fact]
    public async Task Invoke_InactiveFunction_SaysItIsBeingRestoredAndNothingRan()
    {
        var error = await fixture.ErrorAsync("lambda_function_invoke", new { function = "legacy-cron" });
        var after = await fixture.TextAsync("lambda_function_get", new { function = "legacy-cron" });

        error.Should().Contain("(ResourceNotReadyException)").And.Contain("being restored").And.NotContain("may or may not have run");
        after.Should().StartWith("legacy-cron ($LATEST): Pending (Restoring)");
    }

    [Fact]
    public async Task Invoke_ThroughAWeightedAlias_ReportsTheVersionThatRan()
    {
        var versions = new HashSet<string>();
        for (var i = 0; i < 12; i++)
        {
            var text = await fixture.TextAsync("lambda_function_invoke", new { function = "orders-api:live", payload = "{}" });
            versions.Add(text.Split('\n')[0].Split("version ")[1]);
        }

        versions.Should().BeSubsetOf(["2", "3"]).And.Contain("2");
    }

    [Fact]
    public async Task Invoke_UnknownFunction_IsNotFoundAndNothingRuns()
    {
        var error = await fixture.ErrorAsync("lambda_function_invoke", new { function = "ghost" });

        error.Should().StartWith("Not found: function 'ghost' does not exist in region us-east-1 (lambda Invoke, ResourceNotFoundException).");
    }
}

/// <summary>Functions that take sandbox time: the clock runs 30× so a 3 s timeout passes in 0.1 s.</summary>
public sealed class SlowInvokeTests(FastClockWriteFixture fixture) : IClassFixture<FastClockWriteFixture>
{
    [Fact]
    public async Task Invoke_FunctionThatRunsPastItsTimeout_ShowsTheTimeoutAsAFunctionError()
    {
        var result = await fixture.CallAsync("lambda_function_invoke", new { function = "thumbnail-worker" });

        result.IsError.Should().NotBe(true);
        var text = result.Text();
        text.Should().StartWith("thumbnail-worker: FUNCTION ERROR (Unhandled), HTTP 200, version $LATEST\n")
            .And.MatchRegex(@"error: Sandbox\.Timedout: RequestId: [0-9a-f-]{36} Error: Task timed out after 3\.00 seconds\n")
            .And.Contain("hint: it ran into its timeout; raise it (lambda_function_update_config timeout) or find what blocks (lambda_function_logs).")
            .And.MatchRegex(@"\S+Z [0-9a-f-]{36} Task timed out after 3\.00 seconds")
            .And.Contain("Duration: 3000.00 ms").And.Contain("Status: timeout");
    }

    [Fact]
    public async Task Invoke_SlowFunction_TakesSandboxTimeAndStillReturns()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new { function = "report-generator", payload = """{"seconds": 12.5}""" });

        text.Should().StartWith("report-generator: succeeded, HTTP 200, version $LATEST\n")
            .And.Contain("""{"status":"done","seconds":12.5}""")
            .And.Contain("report done in 12.5 s")
            .And.Contain("Duration: 12500.00 ms\tBilled Duration: 12500 ms\tMemory Size: 2048 MB");
    }
}

/// <summary>What a function returns or logs passes the same redaction step as everything else.</summary>
public sealed class InvokeRedactionTests(WriteFixture fixture) : IClassFixture<WriteFixture>
{
    [Fact]
    public async Task Invoke_PayloadWithCredentialsInAUrl_IsShownWithThePasswordRedacted()
    {
        var text = await fixture.TextAsync("lambda_function_invoke", new
        {
            function = "orders-api",
            payload = """{"dsn":"postgres://orders:Xk9-canary-pw@db.internal:5432/orders","auth":"Basic b3JkZXJzOmNhbmFyeQ=="}""",
        });

        text.Should().NotContain("Xk9-canary-pw").And.NotContain("b3JkZXJzOmNhbmFyeQ");
        text.Should().Contain("postgres://orders:[redacted]@db.internal:5432/orders", "the model still sees where the function connects")
            .And.Contain("\"auth\":\"Basic [redacted]\"");
    }
}
