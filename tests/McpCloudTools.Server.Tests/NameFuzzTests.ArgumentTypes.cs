using System.Text.Json;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Issue 14: arguments of the wrong JSON type, to every parameter of every advertised tool (all plugins, write tools
/// included), and every tool called without its required arguments. The client must read which argument, what was
/// given and what is expected, never a .NET type name (<c>System.Nullable`1[System.Int32]</c>), <c>(Parameter 'x')</c>,
/// an exception's name or text.
/// </summary>
public sealed partial class NameFuzzTests
{
    [Fact]
    public async Task WrongTypedAndMissingArguments_ToEveryParameterOfEveryTool_AreNamedPlainly_WithoutDotNetTypeNames()
    {
        await using var h = await SandboxHarness.StartAsync(PluginSet.AddAll, safety: new SafetyOptions { AllowWrite = true });
        var real = await RealNamesAsync(h);
        var tools = await h.Mcp.Client.ListToolsAsync();
        var failures = new List<string>();
        var calls = 0;
        foreach (var tool in tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var schema = tool.ProtocolTool.InputSchema;
            if (!schema.TryGetProperty("properties", out var properties)) continue;
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
            foreach (var property in properties.EnumerateObject())
            {
                foreach (var wrong in WrongValues(property.Value))
                {
                    var args = Defaults(tool.Name, properties, required, real, failures);
                    args[property.Name] = wrong;
                    calls++;
                    if (await PlainArgumentErrorAsync(h, tool.Name, property.Name, args) is { } problem)
                        failures.Add($"{tool.Name} {property.Name}={JsonSerializer.Serialize(wrong)}: {problem}");
                }
            }
            if (required.Count > 0)
            {
                calls++;
                var first = properties.EnumerateObject().Select(p => p.Name).First(required.Contains);
                if (await PlainArgumentErrorAsync(h, tool.Name, first, new Dictionary<string, object?>()) is { } problem)
                    failures.Add($"{tool.Name} without its required arguments: {problem}");
            }
        }

        failures.Should().BeEmpty($"{failures.Count} of {calls} calls answered badly:\n{string.Join("\n", failures)}\n");
        calls.Should().BeGreaterThan(300, "every parameter of every tool gets wrong-typed values");
    }

    [Fact]
    public async Task ARefusedArgument_IsAudited_WithTheArgumentErrorClassAsItsOutcome()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mcpcloudtools-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var h = await SandboxHarness.StartAsync(PluginSet.AddAll,
                             configure: s => s.AddSingleton(sp => AuditTrail.Json(path, sp.GetRequiredService<ILogger<AuditTrail>>()))))
            {
                var tooBig = await h.CallAsync("ec2_instance_list", new { limit = 1_000_000_000_000L });
                tooBig.Text().Should().Be("Invalid arguments for ec2_instance_list: limit must be an integer, not the number '1000000000000'. "
                    + "tools/list gives the expected input schema.");
                var invalidName = await h.CallAsync("eks_pod_describe", new { pod = "web#1" });
                invalidName.Text().Should().StartWith("Invalid pod 'web#1'");
                var missing = await h.CallAsync("eks_pod_describe", new { });
                missing.Text().Should().StartWith("pod is required");
            }

            var lines = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var outcomes = lines.Where(l => l.GetProperty("tool").GetString() is "ec2_instance_list" or "eks_pod_describe")
                .Select(l => l.GetProperty("outcome").GetString()).ToList();
            outcomes.Should().Equal("error: invalid arguments", "error: invalid arguments", "error: invalid arguments");
            lines.Single(l => l.GetProperty("tool").GetString() == "ec2_instance_list").GetProperty("args").EnumerateArray()
                .Select(a => a.GetString()).Should().Equal("limit");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Null when the call was refused with a plain message naming <paramref name="argument"/>; else what was wrong.</summary>
    private static async Task<string?> PlainArgumentErrorAsync(SandboxHarness h, string tool, string argument, Dictionary<string, object?> args)
    {
        var (result, failure) = await ToolResultAsync(h, tool, args);
        if (result is null) return failure;
        var text = result.Text();
        if (result.IsError != true) return $"accepted: {Cut(text)}";
        foreach (var leak in new[] { "System.", "Parameter '", "Exception", "   at ", "Path: $", "LineNumber" })
            if (text.Contains(leak, StringComparison.Ordinal)) return $"says '{leak}': {Cut(text)}";
        if (!NamesArgument(text, argument)) return $"does not name {argument}: {Cut(text)}";
        return null;
    }

    /// <summary>Values of every JSON type but the one the schema asks for: text for numbers, numbers for text, too large for Int32, objects, lists.</summary>
    private static IEnumerable<object?> WrongValues(JsonElement schema)
    {
        var type = !schema.TryGetProperty("type", out var t) ? null
            : t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString();
        return type switch
        {
            "string" => [true, 42, new Dictionary<string, object> { ["a"] = 1 }, new[] { "x" }],
            "integer" => ["many", 1_000_000_000_000L, 1.5, true, new Dictionary<string, object> { ["a"] = 1 }],
            "number" => ["fast", true, new[] { 1 }],
            "boolean" => ["yes", 1, new[] { true }],
            "array" => ["x", 7, new Dictionary<string, object> { ["a"] = 1 }],
            "object" => ["x", 7, new[] { 1 }],
            _ => [],
        };
    }
}
