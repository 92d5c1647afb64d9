using CustomPlugin;
using McpCloudTools.Core;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>The custom-plugin sample works like any built-in plugin: registered in one line, served, policed.</summary>
public sealed class SamplePluginTests
{
    [Fact]
    public async Task SampleLogsPlugin_ListsTheSandboxLogGroups_NeverExpiringFirst()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LogsPlugin>());

        var text = (await harness.CallAsync("logs_group_list")).Text();

        text.Should().StartWith("log groups: 4 (never expire 1)");
        text.Split('\n')[2].Should().StartWith("/aws/lambda/thumbnail-worker").And.Contain("never expires");
        (await harness.CallAsync("logs_group_list", new { prefix = "/aws/batch/" })).Text().Should().StartWith("log groups: 1 ");
    }
}
