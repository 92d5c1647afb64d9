using McpCloudTools.Core.Plugins;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>Versions, aliases, event sources, account settings, logs, resources, health and status, read-only.</summary>
public sealed class RelatedReadTests(ReadOnlyFixture fixture) : IClassFixture<ReadOnlyFixture>
{
    [Fact]
    public async Task VersionList_ShowsNewestFirstWithTheAliasesAndTheirTrafficShares()
    {
        var text = await fixture.TextAsync("lambda_version_list", new { function = "orders-api" });

        var lines = text.Split('\n');
        lines[0].Should().Be("orders-api: 3 published versions + $LATEST");
        lines[1].Should().MatchRegex("^VERSION +ALIASES +MODIFIED +CODE +MEM +TIMEOUT +RUNTIME +DESCRIPTION$");
        lines[2].Should().MatchRegex(@"^\$LATEST +dev +3d +47KiB +256 +10s +python3\.12 +Orders REST API$");
        lines[3].Should().MatchRegex(@"^3 +live 10% .* release 3$");
        lines[4].Should().MatchRegex(@"^2 +live 90% .* release 2$");
        lines[5].Should().MatchRegex(@"^1 +- .* release 1$");
    }

    [Fact]
    public async Task AliasList_ShowsWeightedRouting()
    {
        var text = await fixture.TextAsync("lambda_alias_list", new { function = "orders-api" });

        text.Split('\n').Should().Equal(
            "orders-api: 2 aliases, 1 with weighted routing",
            "NAME VERSION ROUTING      DESCRIPTION",
            "dev  $LATEST -            -",
            "live 2       2 90%, 3 10% production traffic, canary on 3");
    }

    [Fact]
    public async Task AliasList_PagesWithACursor()
    {
        var first = await fixture.TextAsync("lambda_alias_list", new { function = "orders-api", limit = 1 });
        var cursor = FunctionReadTests.CursorRegex().Match(first).Groups[1].Value;
        var second = await fixture.TextAsync("lambda_alias_list", new { function = "orders-api", limit = 1, cursor });

        first.Should().Contain("dev").And.Contain("1 of 2 shown; next page: cursor=");
        second.Should().Contain("live").And.EndWith("1 shown; end of list (2 in all)");
    }

    [Fact]
    public async Task EventSourceList_PutsTheFailingMappingFirstWithItsDestination()
    {
        var text = await fixture.TextAsync("lambda_event_source_list");

        var lines = text.Split('\n');
        lines[0].Should().Be("event source mappings: 5 (Disabled 1, Enabled 4); 1 with a failing last result");
        lines[1].Should().MatchRegex("^UUID +FUNCTION +SOURCE +STATE +LAST RESULT +BATCH$");
        lines[2].Should().MatchRegex(@"^[0-9a-f-]{36} payments-webhook +dynamodb:payments/stream +Enabled +PROBLEM: Function call failed +100$");
        lines[3].Should().Contain("legacy-cron").And.Contain("sqs:legacy-jobs").And.Contain("Disabled");
        text.Should().MatchRegex(@"[0-9a-f-]{36}: failed batches go to arn:aws:sqs:us-east-1:123456789012:payments-dlq");
        text.Should().Contain("kinesis:audit-events").And.Contain(" OK ");
    }

    [Fact]
    public async Task EventSourceList_FiltersByFunction()
    {
        var text = await fixture.TextAsync("lambda_event_source_list", new { function = "thumbnail-worker" });

        text.Split('\n')[0].Should().Be("event source mappings of thumbnail-worker: 1 (Enabled 1)");
        text.Should().Contain("sqs:thumbnail-jobs").And.NotContain("orders-queue");
    }

    [Fact]
    public async Task AccountSettings_ShowsConcurrencyStorageAndCount()
    {
        var text = await fixture.TextAsync("lambda_account_settings");

        text.Split('\n').Should().Equal(
            "lambda account settings in us-east-1:",
            "concurrency: 1000 concurrent executions, 995 unreserved (5 reserved by functions)",
            "code storage: 23MiB of 75GiB used (0.03%)",
            "functions: 7",
            "package limits: 50MiB zipped upload, 250MiB unzipped");
    }

    [Fact]
    public async Task FunctionLogs_MakesTheTimeoutsOfAFunctionEasyToSpot()
    {
        var text = await fixture.TextAsync("lambda_function_logs", new { function = "thumbnail-worker", since = "2h" });

        var header = text.Split('\n')[0];
        header.Should().MatchRegex(@"^/aws/lambda/thumbnail-worker: 20 events since \S+; timeouts [1-9]\d*$");
        text.Should().Contain("Task timed out after 3.00 seconds");
    }

    [Fact]
    public async Task FunctionLogs_AppliesTheFilterPattern()
    {
        var text = await fixture.TextAsync("lambda_function_logs", new { function = "orders-api", since = "2h", filter = "REPORT" });

        var lines = text.Split('\n');
        lines[0].Should().Contain("matching REPORT");
        lines.Skip(1).Should().NotBeEmpty().And.OnlyContain(l => l.Contains("REPORT RequestId"));
    }

    [Fact]
    public async Task FunctionLogs_OfAFunctionThatNeverRan_SaysThereAreNone()
    {
        var text = await fixture.TextAsync("lambda_function_logs", new { function = "report-generator" });

        text.Should().StartWith("/aws/lambda/report-generator: no logs; the log group does not exist");
    }

    [Theory]
    [InlineData("yesterday", "is not understood")]
    [InlineData("90d", "more than 30 days")]
    public async Task FunctionLogs_BadSince_SaysWhatIsAccepted(string since, string expected)
    {
        var error = await fixture.ErrorAsync("lambda_function_logs", new { function = "orders-api", since });

        error.Should().Contain(expected).And.Contain("15m");
    }

    [Fact]
    public async Task Resources_ListFunctionsAndReadOneAsItsConfiguration()
    {
        var client = fixture.Harness.Mcp.Client;

        var resources = await client.ListResourcesAsync();
        var read = await client.ReadResourceAsync("lambda://lambda/functions/orders-api");

        resources.Select(r => r.Uri).Should().Contain("lambda://lambda/functions/orders-api").And.HaveCount(7);
        resources.Single(r => r.Name == "thumbnail-worker").Description.Should().Be("Lambda function: nodejs20.x/arm64, 1024 MB, timeout 3 s");
        var text = read.Contents.OfType<TextResourceContents>().Single().Text;
        text.Should().StartWith("orders-api ($LATEST): Active").And.Contain("API_KEY=[redacted]").And.NotContain("sk_live");
    }

    [Fact]
    public async Task HealthCheckAndStatus_NameTheRegionAndCountFunctionsByStateAndRuntime()
    {
        var services = fixture.Harness.Mcp.Services;
        var plugin = services.GetServices<PluginBase>().OfType<LambdaPlugin>().Single();
        var context = fixture.Harness.Mcp.Context("lambda");

        var health = await plugin.HealthCheckAsync(context, CancellationToken.None);
        var status = await plugin.GetStatusSummaryAsync(context, CancellationToken.None);

        health.Status.Should().Be(HealthStatus.Healthy);
        health.Message.Should().Be("Lambda reachable in us-east-1: 7 functions, 995 of 1000 concurrency unreserved");
        status.Text.Should().Be("7 functions: Failed 1, Inactive 1, Active 5; runtimes: python3.12 2, image 1, java21 1, nodejs20.x 1, nodejs22.x 1, python3.8 1");
        status.Counts.Should().ContainKey("failed").WhoseValue.Should().Be(1);
        status.Counts!["runtime python3.12"].Should().Be(2);
    }

    [Fact]
    public async Task WriteTools_AreNeitherListedNorCallableInReadOnlyMode()
    {
        var names = await fixture.Harness.Mcp.ToolNamesAsync();

        var invoke = await fixture.ErrorAsync("lambda_function_invoke", new { function = "orders-api" });
        var update = await fixture.ErrorAsync("lambda_function_update_config", new { function = "orders-api", memory = 512 });

        names.Where(n => n.StartsWith("lambda_", StringComparison.Ordinal)).Should().Equal(
            "lambda_account_settings", "lambda_alias_list", "lambda_event_source_list", "lambda_function_get",
            "lambda_function_list", "lambda_function_logs", "lambda_version_list");
        invoke.Should().Contain("write tool").And.Contain("--allow-write");
        update.Should().Contain("--allow-write");
        fixture.Lambda.Invocations("orders-api").Should().Be(0);
        (await fixture.TextAsync("lambda_function_get", new { function = "orders-api" })).Should().Contain("memory: 256 MB");
    }
}
