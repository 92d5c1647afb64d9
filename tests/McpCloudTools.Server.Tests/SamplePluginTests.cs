using System.Text.Json;
using CustomPlugin;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The custom-plugin sample, written exactly as docs/plugins.md says, works like any built-in plugin: registered in one
/// line, configured with the shared AWS keys, its config checked when stored, its client rebuilt when the config changes,
/// its arguments checked, within the tool budget.
/// </summary>
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

    [Fact]
    public async Task SampleLogsPlugin_TakesTheSharedAwsKeys_ChecksThemWhenStored_AndUsesANewConfigAtTheNextCall()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LogsPlugin>());
        var plugin = harness.Mcp.Catalog.FindPlugin("logs")!;

        plugin.ConfigKeys.Select(k => (k.Name, k.Secret)).Should().Equal(
            ("profile", false), ("region", false), ("role_arn", false), ("external_id", true), ("endpoint_url", false), ("caller_role_arn", false));
        var bad = () => harness.Mcp.Instances.UpdateAsync("logs", null, new Dictionary<string, string> { ["role_arn"] = "ops" });
        (await bad.Should().ThrowAsync<RegistryException>()).Which.Message.Should()
            .Be("Invalid config for logs: role_arn 'ops' is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name> (a path is allowed: role/<path>/<name>).");

        (await plugin.HealthCheckAsync(harness.Mcp.Context("logs"), CancellationToken.None)).Message.Should().Be("CloudWatch Logs answers in us-east-1");
        await harness.Mcp.Instances.UpdateAsync("logs", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        (await plugin.HealthCheckAsync(harness.Mcp.Context("logs"), CancellationToken.None)).Message.Should().Be("CloudWatch Logs answers in eu-west-1");
    }

    [Fact]
    public async Task SampleLogsPlugin_RefusesAHostileName_BeforeAnythingIsSent_AndStaysWithinTheToolBudget()
    {
        await using var harness = await SandboxHarness.StartAsync(s => s.AddPlugin<LogsPlugin>());
        var before = harness.Sandbox.Requests.Last;

        var refused = await harness.CallAsync("logs_group_list", new { prefix = "/aws/lambda/../x?y" });

        refused.IsError.Should().BeTrue();
        refused.Text().Should().StartWith("Invalid prefix '/aws/lambda/../x?y': it contains '?' at position 17. A log group name is letters, digits and . - _ / #");
        harness.Sandbox.Requests.Since(before).Should().BeEmpty();
        var entry = (await harness.Mcp.Client.ListToolsAsync()).Single(t => t.Name == "logs_group_list").ProtocolTool;
        JsonSerializer.SerializeToUtf8Bytes(entry, ModelContextProtocol.McpJsonUtilities.DefaultOptions).Length.Should().BeLessThanOrEqualTo(ToolBudget.MaxBytesPerTool);
    }
}
