using System.Text.RegularExpressions;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>
/// lambda_function_update_config with sandbox time frozen: an update stays InProgress until a test moves the clock.
/// Each test works on its own function, since the fixture's account is shared.
/// </summary>
public sealed partial class UpdateConfigTests(FrozenClockWriteFixture fixture) : IClassFixture<FrozenClockWriteFixture>
{
    [Fact]
    public async Task Update_ShowsBeforeAndAfterAndGoesThroughInProgressToSuccessful()
    {
        var before = Revision(await fixture.TextAsync("lambda_function_get", new { function = "report-generator" }));

        var text = await fixture.TextAsync("lambda_function_update_config",
            new { function = "report-generator", memory = 3008, timeout = 120, description = "Nightly PDF and CSV reports" });
        var during = await fixture.TextAsync("lambda_function_get", new { function = "report-generator" });
        fixture.Harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(6));
        var after = await fixture.TextAsync("lambda_function_get", new { function = "report-generator" });

        var lines = text.Split('\n');
        lines[0].Should().MatchRegex($@"^report-generator: updated \(revision {before} → [0-9a-f-]{{36}}\); last update status InProgress, lambda_function_get shows when it is done:$");
        lines.Skip(1).Should().Equal(
            "  memory: 2048 → 3008 MB",
            "  timeout: 60 → 120 s",
            "  description: \"Nightly PDF reports\" → \"Nightly PDF and CSV reports\"");
        during.Should().StartWith("report-generator ($LATEST): Active; last update InProgress").And.Contain("memory: 3008 MB, timeout 120 s");
        after.Should().StartWith("report-generator ($LATEST): Active; last update Successful\n");
        Revision(after).Should().NotBe(before);
    }

    [Fact]
    public async Task Update_MergesEnvironmentVariablesAndRedactsTheirValuesInTheDiff()
    {
        var text = await fixture.TextAsync("lambda_function_update_config", new
        {
            function = "orders-api",
            environment = new Dictionary<string, string?> { ["LOG_LEVEL"] = "DEBUG", ["FEATURE_FLAGS"] = "beta", ["TABLE_NAME"] = null },
        });
        fixture.Harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(6));
        var after = await fixture.TextAsync("lambda_function_get", new { function = "orders-api" });

        text.Split('\n').Skip(1).Should().Equal(
            "  env FEATURE_FLAGS: added ([redacted])",
            "  env LOG_LEVEL: [redacted] → [redacted]",
            "  env TABLE_NAME: removed");
        text.Should().NotContain("DEBUG").And.NotContain("beta");
        after.Should().Contain("environment (3): API_KEY=[redacted], FEATURE_FLAGS=[redacted], LOG_LEVEL=[redacted]");
    }

    [Fact]
    public async Task Update_WithAStaleRevision_IsReportedAndTheOtherChangeIsKept()
    {
        var read = Revision(await fixture.TextAsync("lambda_function_get", new { function = "audit-logger" }));
        await fixture.TextAsync("lambda_function_update_config", new { function = "audit-logger", timeout = 45 });
        fixture.Harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(6));

        var error = await fixture.ErrorAsync("lambda_function_update_config", new { function = "audit-logger", memory = 1024, revision_id = read });
        var after = await fixture.TextAsync("lambda_function_get", new { function = "audit-logger" });

        error.Should().MatchRegex($@"^Not applied: audit-logger changed since revision {read} \(it is now at [0-9a-f-]{{36}}\); someone else updated it and their change was kept\. Read it again with lambda_function_get, then retry with the new values in mind\.$");
        after.Should().Contain("memory: 128 MB, timeout 45 s");
    }

    [Fact]
    public async Task Update_WhileAnotherIsInProgress_IsReportedNotQueued()
    {
        await fixture.TextAsync("lambda_function_update_config", new { function = "thumbnail-worker", timeout = 5 });

        var error = await fixture.ErrorAsync("lambda_function_update_config", new { function = "thumbnail-worker", memory = 2048 });
        fixture.Harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(6));
        var after = await fixture.TextAsync("lambda_function_get", new { function = "thumbnail-worker" });

        error.Should().Be("Not applied: thumbnail-worker has an update in progress (last update status InProgress). Wait until lambda_function_get shows it Successful (usually seconds), then retry.");
        after.Should().Contain("memory: 1024 MB, timeout 5 s");
    }

    [Fact]
    public async Task Update_DryRun_ShowsTheChangeAndSendsNothing()
    {
        var before = await fixture.TextAsync("lambda_function_get", new { function = "payments-webhook" });

        var text = await fixture.TextAsync("lambda_function_update_config", new { function = "payments-webhook", memory = 1024, dry_run = true });
        var after = await fixture.TextAsync("lambda_function_get", new { function = "payments-webhook" });

        text.Should().Be($"payments-webhook: would change (dry run, nothing sent; revision {Revision(before)}):\n  memory: 512 → 1024 MB");
        after.Should().Be(before);
    }

    [Fact]
    public async Task Update_ToTheCurrentValues_ChangesNothing()
    {
        var text = await fixture.TextAsync("lambda_function_update_config", new { function = "payments-webhook", memory = 512, timeout = 15 });

        text.Should().MatchRegex(@"^payments-webhook: nothing to change, the values are already set \(revision [0-9a-f-]{36}\)\.$");
    }

    [Theory]
    [InlineData(64, null, "memory 64 MB is out of range: Lambda accepts 128 to 10240 MB.")]
    [InlineData(null, 901, "timeout 901 s is out of range: Lambda accepts 1 to 900 seconds.")]
    [InlineData(null, null, "Nothing to change: pass memory (MB), timeout (s), description or environment.")]
    public async Task Update_InvalidRequest_SaysTheValidRange(int? memory, int? timeout, string expected)
    {
        var error = await fixture.ErrorAsync("lambda_function_update_config", new { function = "payments-webhook", memory, timeout });

        error.Should().Be(expected);
    }

    [Fact]
    public async Task Update_OfAnAlias_IsRefusedBecauseConfigurationBelongsToLatest()
    {
        var error = await fixture.ErrorAsync("lambda_function_update_config", new { function = "orders-api:live", memory = 512 });

        error.Should().StartWith("'orders-api:live' names a version or alias");
    }

    [Fact]
    public async Task Update_WithAReservedVariable_ShowsLambdasRefusal()
    {
        var error = await fixture.ErrorAsync("lambda_function_update_config",
            new { function = "payments-webhook", environment = new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-1" } });

        error.Should().StartWith("lambda UpdateFunctionConfiguration rejected the request (InvalidParameterValueException).")
            .And.Contain("Reserved keys used in this request: AWS_REGION");
    }

    internal static string Revision(string getText) => RevisionRegex().Match(getText).Groups[1].Value;

    [GeneratedRegex("revision: ([0-9a-f-]{36})")]
    private static partial Regex RevisionRegex();
}

/// <summary>With --allow-sensitive-data, environment values are shown, in the configuration and in update diffs.</summary>
public sealed class SensitiveDataTests(SensitiveWriteFixture fixture) : IClassFixture<SensitiveWriteFixture>
{
    [Fact]
    public async Task FunctionGet_ShowsEnvironmentValues_WhenSensitiveDataIsAllowed()
    {
        var text = await fixture.TextAsync("lambda_function_get", new { function = "payments-webhook" });

        text.Should().Contain("environment (3): DB_HOST=payments.cluster-abc.us-east-1.rds.amazonaws.com, DB_PASSWORD=hunter2-payments, STRIPE_SECRET_KEY=sk_live_51HxPaymentsSecret");
        text.Should().NotContain("X-Amz-Signature", "the code URL is never shown, whatever the mode");
    }

    [Fact]
    public async Task UpdateDiff_ShowsEnvironmentValues_WhenSensitiveDataIsAllowed()
    {
        var text = await fixture.TextAsync("lambda_function_update_config",
            new { function = "thumbnail-worker", environment = new Dictionary<string, string?> { ["SIZES"] = "64,128,512" }, dry_run = true });

        text.Split('\n')[1].Should().Be("  env SIZES: 128,512 → 64,128,512");
    }
}
