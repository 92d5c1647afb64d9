using System.Text.RegularExpressions;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Issue 14: one rule for every name filter (<see cref="ToolParams.NameFilter"/>). The same patterns, given to each
/// tool that filters by name, select exactly the names the rule selects from that tool's unfiltered listing of the
/// sandbox's data, whether the tool filters itself or hands (part of) the filter to AWS.
/// </summary>
public sealed partial class NameFilterRuleTests
{
    private static readonly string[] Patterns = ["web*", "*-api", "WEB*", "API", "*WORLD*", "hello-world-*", "h*o-*-w*"];

    [Fact]
    public async Task TheSamePattern_SelectsWhatTheOneRuleSelects_InEveryFilteringTool()
    {
        await using var h = await McpCloudTools.Testing.SandboxHarness.StartAsync(PluginSet.AddAll);
        // Each listing's rows: the name is the first column of Lambda's, the second of EC2's (after the id) and Batch's (after the job id).
        (string Tool, Func<string, bool> IsRow, int Column, Func<string?, object> Args)[] tools =
        [
            ("lambda_function_list", l => l.Length > 0 && !l.Contains("shown", StringComparison.Ordinal) && !l.StartsWith("NAME ", StringComparison.Ordinal)
                && !l.StartsWith("functions", StringComparison.Ordinal) && !l.StartsWith(' ') && !l.StartsWith('('), 0, name => new { name, limit = 100 }),
            ("ec2_instance_list", l => l.StartsWith("i-", StringComparison.Ordinal), 1, name => new { name, limit = 1000 }),
            ("batch_job_list", l => JobIdRow().IsMatch(l), 1, name => new { queue = "default-queue", name, limit = 500 }),
        ];
        var failures = new List<string>();
        foreach (var (tool, isRow, column, args) in tools)
        {
            var all = Names(await TextAsync(h, tool, args(null)), isRow, column);
            all.Should().NotBeEmpty(tool);
            foreach (var pattern in Patterns.Append(all.Where(n => char.IsAsciiLetter(n[0]) && n.Contains('-', StringComparison.Ordinal)).Order(StringComparer.Ordinal).First()))
            {
                var expected = all.Where(n => ToolParams.NameMatches(n, pattern)).ToHashSet(StringComparer.Ordinal);
                var got = Names(await TextAsync(h, tool, args(pattern)), isRow, column);
                if (!got.SetEquals(expected))
                    failures.Add($"{tool} name={pattern}: listed [{string.Join(", ", got.Order())}], the rule selects [{string.Join(", ", expected.Order())}]");
            }
        }
        failures.Should().BeEmpty(string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryNameFilterParameter_DescribesTheOneRule_InToolsList()
    {
        await using var h = await McpCloudTools.Testing.SandboxHarness.StartAsync(PluginSet.AddAll);
        var tools = (await h.Mcp.Client.ListToolsAsync()).ToDictionary(t => t.Name);
        (string Tool, string Parameter)[] filters =
            [("lambda_function_list", "name"), ("lambda_function_list", "runtime"), ("ec2_instance_list", "name"), ("ec2_instance_list", "type"),
             ("ec2_instance_list", "tag"), ("batch_job_list", "name")];
        foreach (var (tool, parameter) in filters)
        {
            var description = tools[tool].ProtocolTool.InputSchema.GetProperty("properties").GetProperty(parameter).GetProperty("description").GetString();
            description.Should().EndWith(ToolParams.NameFilter, $"{tool} {parameter} states the one rule");
        }
    }

    private static async Task<string> TextAsync(McpCloudTools.Testing.SandboxHarness h, string tool, object args)
    {
        var result = await h.CallAsync(tool, args);
        result.IsError.Should().NotBe(true, $"{tool} said: {result.Text()}");
        return result.Text();
    }

    /// <summary>The values of one column of the listing's rows.</summary>
    private static HashSet<string> Names(string text, Func<string, bool> isRow, int column) =>
        [.. text.Split('\n').Where(isRow).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > column).Select(c => c[column])];

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-")]
    private static partial Regex JobIdRow();
}
