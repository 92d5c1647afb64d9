using System.Text.Json;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;
using Xunit.Abstractions;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The product's <c>tools/list</c> budget, both numbers from <see cref="ToolBudget"/> (the one place they live): every
/// tool of every plugin this build serves within <see cref="ToolBudget.MaxBytesPerTool"/>, and all of them together
/// within <see cref="ToolBudget.MaxAverageBytesPerTool"/> per tool on average, in the read-only default and with
/// <c>--allow-write</c>; every tool says when to use it.
/// </summary>
public sealed class ToolBudgetTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolsList_OfAllPlugins_StaysWithinTheProductBudget_AndEachToolWithinTheToolBudget(bool allowWrite)
    {
        await using var h = await McpHarness.StartAsync(PluginSet.AddAll, new SafetyOptions { AllowWrite = allowWrite });
        // Slurm's default instance waits for a url; its tools count once one is configured.
        await h.Instances.SetEnabledAsync("slurm", true);

        var tools = (await h.Client.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();
        var sizes = tools.ToDictionary(t => t.Name, t => JsonSerializer.SerializeToUtf8Bytes(t, ModelContextProtocol.McpJsonUtilities.DefaultOptions).Length);
        var bytes = sizes.Values.Sum();
        foreach (var (name, size) in sizes.OrderByDescending(kv => kv.Value).Take(5))
        {
            output.WriteLine($"{name}: {size} bytes");
        }

        output.WriteLine($"average: {bytes / tools.Count} bytes over {tools.Count} tools");

        tools.Select(t => t.Name.Split('_')[0]).Distinct().Should().Contain(["ec2", "eks", "lambda", "batch", "slurm"]);
        tools.Should().HaveCountGreaterThan(allowWrite ? 45 : 35);
        tools.Should().OnlyContain(t => t.Description!.Length >= 10 && t.Annotations != null);
        sizes.Should().OnlyContain(kv => kv.Value <= ToolBudget.MaxBytesPerTool,
            $"every tool stays within {ToolBudget.MaxBytesPerTool} bytes: {string.Join(", ", sizes.Where(kv => kv.Value > ToolBudget.MaxBytesPerTool))}");
        (bytes / tools.Count).Should().BeLessThanOrEqualTo(ToolBudget.MaxAverageBytesPerTool, $"{bytes} bytes for {tools.Count} tools");
    }
}
