using System.Text.Json;
using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The product's <c>tools/list</c> budget (issue 8): every plugin this build serves, at most 500 bytes per tool on
/// average, in the read-only default and with <c>--allow-write</c>; every tool says when to use it.
/// </summary>
public sealed class ToolBudgetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolsList_OfAllPlugins_StaysWithinFiveHundredBytesPerTool(bool allowWrite)
    {
        await using var h = await McpHarness.StartAsync(PluginSet.AddAll, new SafetyOptions { AllowWrite = allowWrite });
        // Slurm's default instance waits for a url; its tools count once one is configured.
        await h.Instances.SetEnabledAsync("slurm", true);

        var tools = (await h.Client.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();
        var bytes = tools.Sum(t => JsonSerializer.SerializeToUtf8Bytes(t, ModelContextProtocol.McpJsonUtilities.DefaultOptions).Length);

        tools.Select(t => t.Name.Split('_')[0]).Distinct().Should().Contain(["ec2", "eks", "lambda", "batch", "slurm"]);
        tools.Should().HaveCountGreaterThan(allowWrite ? 45 : 35);
        tools.Should().OnlyContain(t => t.Description!.Length >= 10 && t.Annotations != null);
        (bytes / tools.Count).Should().BeLessThanOrEqualTo(500, $"{bytes} bytes for {tools.Count} tools");
    }
}
