using System.Text;
using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>What the plugin costs in tokens: its tools/list entries and the bytes per row of its lists.</summary>
public sealed class TokenBudgetTests(WriteFixture fixture, ITestOutputHelper output) : IClassFixture<WriteFixture>
{
    /// <summary>
    /// Every tool within the one per-tool budget (<see cref="Core.Plugins.ToolBudget.MaxBytesPerTool"/>); the frame alone
    /// puts about 290 bytes into every entry before the tool says anything (annotations 88, the shared <c>instance</c>
    /// parameter 127, the entry's skeleton and name ~80). The product's average is asserted over every plugin.
    /// </summary>
    [Fact]
    public async Task ToolsList_AllNineToolsStayWithinTheirBudgetWithAllowWrite()
    {
        var tools = (await fixture.Harness.Mcp.Client.ListToolsAsync()).Where(t => t.Name.StartsWith("lambda_", StringComparison.Ordinal)).ToList();

        var sizes = tools.ToDictionary(t => t.Name, t => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(t.ProtocolTool, McpJsonUtilities.DefaultOptions)));
        foreach (var (name, size) in sizes.OrderBy(s => s.Key, StringComparer.Ordinal)) output.WriteLine($"{name}: {size} bytes");
        output.WriteLine($"average: {sizes.Values.Average():0} bytes");

        sizes.Keys.Should().BeEquivalentTo("lambda_function_list", "lambda_function_get", "lambda_function_invoke", "lambda_function_logs",
            "lambda_function_update_config", "lambda_version_list", "lambda_alias_list", "lambda_event_source_list", "lambda_account_settings");
        sizes.Should().OnlyContain(kv => kv.Value <= Core.Plugins.ToolBudget.MaxBytesPerTool, "each tool stays within the one per-tool budget");
    }

    [Fact]
    public async Task FunctionList_CostsLittlePerRow_AtBenchmarkSize()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(),
            new SandboxOptions { Scenario = SandboxScenario.Default.WithSize("lambda.functions", 120) });

        var text = (await harness.CallAsync("lambda_function_list")).Text();
        var rows = text.Split('\n').Skip(2).Count(l => !l.Contains("shown", StringComparison.Ordinal));
        var perRow = (double)Encoding.UTF8.GetByteCount(text) / 50;
        output.WriteLine($"lambda_function_list: {Encoding.UTF8.GetByteCount(text)} bytes for 50 rows = {perRow:0} bytes/row");

        text.Should().StartWith("functions: 120 (shown: ").And.Contain("50 of 120 shown; next page: cursor=");
        rows.Should().Be(50);
        perRow.Should().BeLessThan(100);
    }

    [Fact]
    public async Task FunctionList_ARareFilterOnAHugeAccount_StopsAfterItsScanBudgetWithACursorToGoOn()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LambdaPlugin>(),
            new SandboxOptions { Scenario = SandboxScenario.Default.WithSize("lambda.functions", 2100) });

        var first = (await harness.CallAsync("lambda_function_list", new { name = "fn-0205" })).Text();
        var cursor = FunctionReadTests.CursorRegex().Match(first).Groups[1].Value;
        var second = (await harness.CallAsync("lambda_function_list", new { name = "fn-0205", cursor })).Text();

        first.Should().StartWith("functions (name~fn-0205): 0\n(searched 2000 functions; the rest not yet)\n0 shown, more exist; next page: cursor=");
        FunctionReadTests.Names(second).Should().Equal("fn-02050", "fn-02051", "fn-02052", "fn-02053", "fn-02054", "fn-02055", "fn-02056", "fn-02057", "fn-02058", "fn-02059");
        second.Should().StartWith("functions (name~fn-0205): 10 (").And.EndWith("10 shown; end of list (10 in all)");
    }

    [Fact]
    public async Task OtherLists_CostLittlePerRow()
    {
        foreach (var (tool, args, count) in new (string, object?, int)[]
        {
            ("lambda_event_source_list", null, 5), ("lambda_version_list", new { function = "orders-api" }, 4),
            ("lambda_alias_list", new { function = "orders-api" }, 2),
        })
        {
            var text = await fixture.TextAsync(tool, args);
            var perRow = (double)Encoding.UTF8.GetByteCount(text) / count;
            output.WriteLine($"{tool}: {Encoding.UTF8.GetByteCount(text)} bytes for {count} rows = {perRow:0} bytes/row");
            perRow.Should().BeLessThan(200, tool);
        }
    }
}
