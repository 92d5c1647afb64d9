using System.Text.RegularExpressions;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>lambda_function_list and lambda_function_get against the default sandbox account, read-only and redacted.</summary>
public sealed partial class FunctionReadTests(ReadOnlyFixture fixture) : IClassFixture<ReadOnlyFixture>
{
    [Fact]
    public async Task FunctionList_ShowsEveryFunctionWithItsStateAndPutsProblemsFirst()
    {
        var text = await fixture.TextAsync("lambda_function_list");

        var lines = text.Split('\n');
        lines[0].Should().Be("functions: 7 (Failed 1, Inactive 1, Active 5)");
        lines[1].Should().MatchRegex("^NAME +RUNTIME +MEM +TIMEOUT +CODE +MODIFIED +STATE$");
        Names(text).Should().Equal("image-resizer", "legacy-cron", "audit-logger", "orders-api", "payments-webhook", "report-generator", "thumbnail-worker");
        Row(text, "image-resizer").Should().MatchRegex(@"image +3008 +900s .* Failed \(ImageAccessDenied\)$");
        Row(text, "legacy-cron").Should().EndWith("Inactive (Idle)");
        Row(text, "thumbnail-worker").Should().MatchRegex(@"^thumbnail-worker +nodejs20\.x/arm64 +1024 +3s +2\.8MiB +12d +Active$");
        text.Should().NotContain("cursor=", "everything fits on one page");
    }

    [Fact]
    public async Task FunctionList_FiltersByNameSubstringAndRuntimePrefix()
    {
        var byName = await fixture.TextAsync("lambda_function_list", new { name = "PAY" });
        var byRuntime = await fixture.TextAsync("lambda_function_list", new { runtime = "python" });
        var none = await fixture.TextAsync("lambda_function_list", new { name = "nothing-like-this" });

        Names(byName).Should().Equal("payments-webhook");
        byName.Should().StartWith("functions (name~PAY): 1 (Active 1)");
        Names(byRuntime).Should().Equal("legacy-cron", "orders-api", "payments-webhook");
        none.Should().Be("functions (name~nothing-like-this): 0; none match, try a shorter name or no runtime filter");
    }

    [Fact]
    public async Task FunctionList_FiltersFollowTheOneNameFilterRule_StarPatternsAndCaseInsensitiveParts()
    {
        Names(await fixture.TextAsync("lambda_function_list", new { runtime = "python*" })).Should().Equal("legacy-cron", "orders-api", "payments-webhook");
        Names(await fixture.TextAsync("lambda_function_list", new { runtime = "PYTHON3.*" })).Should().Equal("legacy-cron", "orders-api", "payments-webhook");
        Names(await fixture.TextAsync("lambda_function_list", new { name = "*-api" })).Should().Equal("orders-api");
        Names(await fixture.TextAsync("lambda_function_list", new { name = "p*-w*k" })).Should().Equal("payments-webhook");
        Names(await fixture.TextAsync("lambda_function_list", new { name = "orders*x" })).Should().BeEmpty();
    }

    [Theory]
    [InlineData("orders", "orders-api", true)]
    [InlineData("ORDERS", "orders-api", true)]
    [InlineData("ders", "orders-api", true)]
    [InlineData("ord*", "orders-api", true)]
    [InlineData("*api", "orders-api", true)]
    [InlineData("*", "", true)]
    [InlineData("o*s*i", "orders-api", true)]
    [InlineData("ders*", "orders-api", false)]
    [InlineData("*x*", "orders-api", false)]
    [InlineData("a**b", "ab", true)]
    public void NameMatches_IsOneRule(string filter, string value, bool expected) =>
        McpCloudTools.Core.Plugins.ToolParams.NameMatches(value, filter).Should().Be(expected);

    [Fact]
    public async Task FunctionList_WithALimit_CountsEveryFunction_NotThePage()
    {
        var text = await fixture.TextAsync("lambda_function_list", new { limit = 2 });
        var filtered = await fixture.TextAsync("lambda_function_list", new { limit = 1, runtime = "python*" });

        text.Should().MatchRegex(@"^functions: 7 \(shown: [A-Za-z]+ \d").And.Contain("2 of 7 shown; next page: cursor=");
        filtered.Should().StartWith("functions (runtime python*): 3 (shown: ").And.Contain("1 of 3 shown; next page");
    }

    [Fact]
    public async Task FunctionList_PagesWithACursorUntilTheEnd()
    {
        var seen = new List<string>();
        string? cursor = null;
        var calls = 0;
        do
        {
            var text = await fixture.TextAsync("lambda_function_list", new { limit = 3, cursor });
            seen.AddRange(Names(text));
            cursor = CursorRegex().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
            text.Should().StartWith("functions: 7 (");
            if (cursor is not null) text.Should().Contain("3 of 7 shown; next page: cursor=");
            else text.Should().EndWith("1 shown; end of list (7 in all)");
            calls++;
        }
        while (cursor is not null && calls < 10);

        seen.Should().HaveCount(7).And.OnlyHaveUniqueItems();
        calls.Should().Be(3);
    }

    [Fact]
    public async Task FunctionList_RefusesACursorFromOtherFilters()
    {
        var first = await fixture.TextAsync("lambda_function_list", new { limit = 2 });
        var cursor = CursorRegex().Match(first).Groups[1].Value;

        var error = await fixture.ErrorAsync("lambda_function_list", new { limit = 2, cursor, runtime = "python" });

        error.Should().Contain("belongs to another listing");
    }

    [Fact]
    public async Task FunctionGet_ShowsTheConfigurationWithEnvironmentNamesButNotValuesNorTheCodeUrl()
    {
        var text = await fixture.TextAsync("lambda_function_get", new { function = "payments-webhook" });

        text.Should().StartWith("payments-webhook ($LATEST): Active; last update Successful\n");
        text.Should().Contain("arn: arn:aws:lambda:us-east-1:123456789012:function:payments-webhook")
            .And.Contain("runtime: python3.12 on x86_64, handler fail.handler")
            .And.Contain("memory: 512 MB, timeout 15 s, /tmp 512 MB")
            .And.Contain("reserved concurrency: 5")
            .And.MatchRegex(@"vpc: vpc-\w+; subnets subnet-\w+, subnet-\w+; security groups sg-\w+")
            .And.Contain("tracing: X-Ray Active")
            .And.Contain("logs: /custom/payments-webhook (Text)")
            .And.Contain("dead-letter: arn:aws:sqs:us-east-1:123456789012:payments-dlq")
            .And.Contain("environment (3): DB_HOST=[redacted], DB_PASSWORD=[redacted], STRIPE_SECRET_KEY=[redacted]")
            .And.Contain("tags: pci=true, team=payments")
            .And.MatchRegex("revision: [0-9a-f-]{36}");
        text.Should().NotContain("hunter2").And.NotContain("sk_live").And.NotContain("payments.cluster");
        text.Should().NotContain("awslambda-us-east-1-tasks").And.NotContain("X-Amz-Signature").And.NotContain("snapshots");
    }

    [Fact]
    public async Task FunctionGet_ShowsLayersEphemeralStorageAndSnapStart()
    {
        var text = await fixture.TextAsync("lambda_function_get", new { function = "report-generator" });

        text.Should().Contain("runtime: java21 on x86_64, handler com.example.SlowReport::handleRequest")
            .And.Contain("memory: 2048 MB, timeout 60 s, /tmp 2048 MB")
            .And.Contain("layers: arn:aws:lambda:us-east-1:123456789012:layer:otel-java:4")
            .And.Contain("snapstart: PublishedVersions")
            .And.Contain("logs: /aws/lambda/report-generator (Text)");
    }

    [Fact]
    public async Task FunctionGet_ExplainsAFailedFunction()
    {
        var text = await fixture.TextAsync("lambda_function_get", new { function = "image-resizer" });

        text.Should().StartWith("image-resizer ($LATEST): Failed (ImageAccessDenied); last update Failed (ImageAccessDenied)\n")
            .And.Contain("state reason: Lambda does not have permission to access the ECR image. Check the ECR permissions.")
            .And.Contain("image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/image-resizer:v7 on x86_64")
            .And.NotContain("runtime:");
    }

    [Theory]
    [InlineData("orders-api:live", "orders-api (2): Active; last update Successful")]
    [InlineData("orders-api:3", "orders-api (3): Active; last update Successful")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:orders-api", "orders-api ($LATEST): Active; last update Successful")]
    [InlineData("123456789012:function:orders-api:dev", "orders-api ($LATEST): Active; last update Successful")]
    public async Task FunctionGet_AcceptsAliasesVersionsAndArns(string function, string firstLine)
    {
        var text = await fixture.TextAsync("lambda_function_get", new { function });

        text.Split('\n')[0].Should().Be(firstLine);
    }

    [Fact]
    public async Task FunctionGet_UnknownFunction_SaysWhereItLookedAndWhatToTry()
    {
        var error = await fixture.ErrorAsync("lambda_function_get", new { function = "no-such-fn" });

        error.Should().StartWith("Not found: function 'no-such-fn' does not exist in region us-east-1 (lambda GetFunction, ResourceNotFoundException).")
            .And.Contain("Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-fn")
            .And.Contain("lambda_function_list shows the functions of this region");
    }

    [Fact]
    public async Task FunctionGet_UnknownAlias_IsNotFound()
    {
        var error = await fixture.ErrorAsync("lambda_function_get", new { function = "orders-api:canary" });

        error.Should().Contain("function 'orders-api:canary' does not exist").And.Contain("a qualifier must be an existing version or alias");
    }

    [Fact]
    public async Task FunctionGet_MalformedName_IsRefusedWithTheRuleBeforeAnyCall()
    {
        var error = await fixture.ErrorAsync("lambda_function_get", new { function = "bad name!" });

        error.Should().Be("Invalid function 'bad name!': it contains ' ' (a space) at position 4. A function is its name (letters, digits, '-', '_', '.'), "
            + "optionally followed by :version or :alias, or its ARN; at most 256 characters. lambda_function_list shows the functions of this region.");
    }

    internal static List<string> Names(string table) =>
        [.. table.Split('\n').Skip(2).TakeWhile(l => !l.Contains("shown", StringComparison.Ordinal) && l.Length > 0).Select(l => l.Split(' ')[0])];

    internal static string Row(string table, string name) => table.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));

    [GeneratedRegex("cursor=(\\S+)")]
    internal static partial Regex CursorRegex();
}
