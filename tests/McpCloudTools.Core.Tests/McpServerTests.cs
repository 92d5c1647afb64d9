using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Core.Tests;

public sealed class McpServerTests
{
    private static Task<McpHarness> Start(SafetyOptions? safety = null, string? protocol = "2025-11-25") =>
        McpHarness.StartAsync(s => { s.AddPlugin<TestPlugin>(); s.AddPlugin<OtherPlugin>(); }, safety, protocolVersion: protocol);

    [Fact]
    public async Task ToolsList_FollowsEnabledPlugins()
    {
        await using var h = await Start();
        (await h.ToolNamesAsync()).Should().Contain(["test_item_list", "other_thing_ping"]);

        (await h.CallAsync("plugin_disable", new { id = "test" })).Text().Should().Contain("Disabled test");
        (await h.ToolNamesAsync()).Should().NotContain(n => n.StartsWith("test_")).And.Contain("other_thing_ping");

        (await h.CallAsync("plugin_enable", new { id = "test" })).IsError.Should().NotBe(true);
        (await h.ToolNamesAsync()).Should().Contain("test_item_list");
    }

    [Fact]
    public async Task DisablingPlugin_NotifiesAClientThatUsedInitialize()
    {
        await using var h = await Start(protocol: "2025-11-25");
        h.Client.NegotiatedProtocolVersion.Should().Be("2025-11-25");

        await h.Instances.SetEnabledAsync("test", false);
        await h.ListChanged.NextAsync();
        await h.Instances.SetEnabledAsync("test", true);
        await h.ListChanged.NextAsync();
    }

    [Fact]
    public async Task DisablingPlugin_NotifiesA20260728ClientThroughSubscriptionsListen()
    {
        await using var h = await Start(protocol: null);
        h.Client.NegotiatedProtocolVersion.Should().Be("2026-07-28");

        (await h.ListChanged.ArrivesWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeFalse();
        using (h.Listen())
        {
            await Task.Delay(200);
            await h.Instances.SetEnabledAsync("other", false);
            var notification = await h.ListChanged.NextAsync();
            notification.Params!.ToString().Should().Contain("subscriptionId");
        }
    }

    [Fact]
    public async Task EveryTool_DeclaresAllFourHints_AndAShortDescription()
    {
        await using var h = await Start(new SafetyOptions { AllowWrite = true });
        var tools = await h.Client.ListToolsAsync();
        tools.Should().NotBeEmpty();
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            tool.Annotations.Should().NotBeNull(tool.Name);
            tool.Annotations!.ReadOnlyHint.Should().NotBeNull(tool.Name);
            tool.Annotations.DestructiveHint.Should().NotBeNull(tool.Name);
            tool.Annotations.IdempotentHint.Should().NotBeNull(tool.Name);
            tool.Annotations.OpenWorldHint.Should().NotBeNull(tool.Name);
            tool.Description.Should().NotBeNullOrWhiteSpace().And.Subject!.Length.Should().BeLessThan(200, tool.Name);
        }
    }

    [Fact]
    public async Task WriteTools_AreInvisibleAndUncallable_WithoutAllowWrite()
    {
        await using var h = await Start();
        var names = await h.ToolNamesAsync();
        names.Should().NotContain(["test_item_update", "test_item_delete"]);

        var result = await h.CallAsync("test_item_delete", new { id = "x" });

        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("destructive tool").And.Contain("--allow-write");
        h.Services.GetRequiredService<TestService>().Deleted.Should().BeEmpty();
    }

    [Fact]
    public async Task WriteTools_WorkWithAllowWrite()
    {
        await using var h = await Start(new SafetyOptions { AllowWrite = true });
        (await h.CallAsync("test_item_delete", new { id = "x" })).Text().Should().Be("deleted x");
    }

    [Fact]
    public async Task ToolsOfADisabledType_AreRefusedWithWhatToDo()
    {
        await using var h = await Start();
        await h.Instances.SetEnabledAsync("other", false);

        var result = await h.CallAsync("other_thing_ping");

        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("no enabled instance").And.Contain("plugin_enable (other)");
    }

    [Fact]
    public async Task UnknownTool_SuggestsRelatedOnes()
    {
        await using var h = await Start();
        var result = await h.CallAsync("test_item_lst");
        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("Unknown tool 'test_item_lst'").And.Contain("test_item_list");
    }

    [Fact]
    public async Task ToolExceptions_BecomeActionableErrors_AndOtherFailuresLeakNothing()
    {
        await using var h = await Start();
        var expected = await h.CallAsync("test_fail_run", new { how = "tool" });
        expected.IsError.Should().BeTrue();
        expected.Text().Should().Be("The thing 'x' was not found in us-east-1. Try test_item_list.");

        var bug = await h.CallAsync("test_fail_run", new { how = "bug" });
        bug.IsError.Should().BeTrue();
        bug.Text().Should().Contain("test_fail_run failed unexpectedly (InvalidOperationException)").And.NotContain("/home/secret").And.NotContain(" at ");
    }

    [Fact]
    public async Task AnInternalTimeout_NotTheClientCancelling_IsAToolErrorSayingSo()
    {
        await using var h = await Start();

        var stalled = await h.CallAsync("test_fail_run", new { how = "stall" });

        stalled.IsError.Should().BeTrue();
        stalled.Text().Should().StartWith("test_fail_run stopped: something it waited for inside the server timed out")
            .And.Contain("Retry").And.NotContain("unexpectedly");
    }

    [Fact]
    public async Task BadArguments_GetAClearError()
    {
        await using var h = await Start();
        var wrongType = await h.CallAsync("test_item_list", new Dictionary<string, object?> { ["limit"] = "many" });
        wrongType.IsError.Should().BeTrue();
        wrongType.Text().Should().Contain("Invalid arguments for test_item_list");

        var zero = await h.CallAsync("test_item_list", new { limit = 0 });
        zero.Text().Should().Contain("limit must be between 1 and 100");
    }

    [Fact]
    public async Task SensitiveValues_AreRedactedByDefault_AndShownWithAllowSensitiveData()
    {
        await using (var h = await Start())
        {
            var text = (await h.CallAsync("test_secret_get")).Text();
            text.Should().Contain("password=[redacted]").And.Contain("[redacted presigned URL]").And.Contain("plain=visible").And.NotContain("s3cr3t");
        }

        await using (var h = await Start(new SafetyOptions { AllowSensitiveData = true }))
        {
            var text = (await h.CallAsync("test_secret_get")).Text();
            text.Should().Contain("password=s3cr3t-value").And.Contain("X-Amz-Signature=abcdef").And.NotContain("\uE000");
        }
    }

    [Fact]
    public async Task Lists_PageWithNofM_AndTheCursorReturnsTheRest()
    {
        await using var h = await Start();
        var first = (await h.CallAsync("test_item_list", new { limit = 10 })).Text();
        first.Should().StartWith("items: 25 (broken 3) on test").And.Contain("10 of 25 shown; next page: cursor=");
        first.Split('\n')[2].Should().Contain("broken", "broken items come first");

        var cursor = first[(first.IndexOf("cursor=", StringComparison.Ordinal) + 7)..].Trim();
        var second = (await h.CallAsync("test_item_list", new { limit = 20, cursor })).Text();
        second.Should().EndWith("15 shown; end of list (25 in all)");
        second.Split('\n').Count(l => l.StartsWith("item-")).Should().Be(15);
    }

    [Fact]
    public async Task InstanceArgument_RoutesToThatInstance()
    {
        await using var h = await Start();
        await h.Instances.CreateAsync("test", "test-big", config: new Dictionary<string, string> { ["items"] = "70" });

        (await h.CallAsync("test_item_list", new { instance = "test-big" })).Text().Should().StartWith("items: 70 (broken 10) on test-big");
        (await h.CallAsync("test_item_list", new { instance = "nope" })).Text().Should().Contain("No test instance 'nope'. test instances: test, test-big");
    }

    [Fact]
    public async Task ClusterScopedTools_UseTheNamedCluster_ElseTheActiveOne_DiscoveringLazily()
    {
        await using var h = await Start();
        h.Clusters.All.Should().BeEmpty("nothing is discovered before it is needed");

        var ambiguous = await h.CallAsync("test_cluster_get");
        ambiguous.IsError.Should().BeTrue();
        ambiguous.Text().Should().Contain("test:alpha-test, test:beta-test");

        (await h.CallAsync("cluster_activate", new { cluster_id = "test:beta-test" })).Text().Should().Contain("Active cluster: test:beta-test");
        (await h.CallAsync("test_cluster_get")).Text().Should().Be("cluster test:beta-test via test");
        (await h.CallAsync("test_cluster_get", new { cluster_id = "test:alpha-test" })).Text().Should().Be("cluster test:alpha-test via test");

        var list = (await h.CallAsync("clusters_list")).Text();
        list.Should().Contain("active: test:beta-test").And.MatchRegex(@"\* +test:beta-test");
    }

    [Fact]
    public async Task PluginsList_ShowsInstancesModeAndHealth()
    {
        await using var h = await Start();
        await h.Instances.CreateAsync("test", "test-bad", config: new Dictionary<string, string> { ["region"] = "broken" });

        var text = (await h.CallAsync("plugins_list", new { check_health = true })).Text();

        text.Should().Contain("mode: read-only, sensitive data redacted");
        text.Should().MatchRegex(@"test-bad +test +yes +unhealthy");
        text.Should().Contain("test-bad: Region 'broken' does not answer");
        text.Should().Contain("test 1.2.3 (Test service)");
    }

    [Fact]
    public async Task Resources_AreListedAndRead_ThroughTheRedactionStep()
    {
        await using var h = await Start();
        var resources = await h.Client.ListResourcesAsync();
        resources.Select(r => r.Uri).Should().Contain("test://test/items/1");

        var read = await h.Client.ReadResourceAsync("test://test/items/1");
        read.Contents.OfType<TextResourceContents>().Single().Text.Should().Be("item 1 of test; key=[redacted]");

        var missing = async () => await h.Client.ReadResourceAsync("test://test/items/404");
        await missing.Should().ThrowAsync<ModelContextProtocol.McpException>();
    }
}
