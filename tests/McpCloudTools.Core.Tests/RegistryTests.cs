using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;

namespace McpCloudTools.Core.Tests;

public sealed class RegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-registry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task FirstStart_GivesEachPluginTypeOneEnabledDefaultInstance_AndAdvertisesItsTools()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());

        registry.Instances.All.Select(i => (i.Id, i.Type, i.Enabled)).Should().Equal(("test", "test", true), ("other", "other", true));
        var names = registry.ToolNames;
        names.Should().Contain(["plugins_list", "plugin_enable", "plugin_disable", "clusters_list", "cluster_activate", "test_item_list", "other_thing_ping"]);
    }

    [Fact]
    public async Task ReadOnlyMode_LeavesWriteAndDestructiveToolsOut_AllowWriteAddsThem()
    {
        using var readOnly = await TestRegistry.CreateAsync(new InMemoryStateStore());
        using var readWrite = await TestRegistry.CreateAsync(new InMemoryStateStore(), new SafetyOptions { AllowWrite = true });

        readOnly.ToolNames.Should().NotContain(["test_item_update", "test_item_delete"]);
        readWrite.ToolNames.Should().Contain(["test_item_update", "test_item_delete"]);
        readOnly.ToolNames.Should().Contain(["plugin_enable", "cluster_activate"], "management tools are always present");
    }

    [Fact]
    public async Task DisablingTheLastInstanceOfAType_RemovesItsTools_EnablingAnyBringsThemBack()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        await registry.Instances.CreateAsync("test", "test-eu", config: new Dictionary<string, string> { ["region"] = "eu-west-1" });

        await registry.Instances.SetEnabledAsync("test", false);
        registry.Tools.Tools.TryGetPrimitive("test_item_list", out _).Should().BeTrue("test-eu is still enabled");
        await registry.Instances.SetEnabledAsync("test-eu", false);
        registry.Tools.Tools.TryGetPrimitive("test_item_list", out _).Should().BeFalse();
        await registry.Instances.SetEnabledAsync("test-eu", true);
        registry.Tools.Tools.TryGetPrimitive("test_item_list", out _).Should().BeTrue();
    }

    [Fact]
    public async Task ToolChanges_RaiseOneChangedEventPerRegistryChange()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        var events = 0;
        registry.Tools.Tools.Changed += (_, _) => Interlocked.Increment(ref events);

        await registry.Instances.SetEnabledAsync("test", false);
        await registry.Instances.SetEnabledAsync("test", false);
        await registry.Instances.SetEnabledAsync("test", true);

        events.Should().Be(2, "disabling twice changes nothing the second time, and several tools change at once");
    }

    [Fact]
    public async Task BadRequests_GetMessagesThatSayWhatToDo()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());

        (await FluentActions.Awaiting(() => registry.Instances.CreateAsync("nope")).Should().ThrowAsync<RegistryException>())
            .Which.Message.Should().Contain("Types: test, other");
        (await FluentActions.Awaiting(() => registry.Instances.CreateAsync("test", "Bad Id!")).Should().ThrowAsync<RegistryException>())
            .Which.Kind.Should().Be(RegistryErrorKind.Invalid);
        (await FluentActions.Awaiting(() => registry.Instances.CreateAsync("test", "test")).Should().ThrowAsync<RegistryException>())
            .Which.Kind.Should().Be(RegistryErrorKind.Conflict);
        await FluentActions.Awaiting(() => registry.Instances.CreateAsync("test", config: new Dictionary<string, string> { ["regoin"] = "x" }))
            .Should().ThrowAsync<RegistryException>().WithMessage("*regoin*Valid keys: region, items*");
        (await FluentActions.Awaiting(() => registry.Instances.SetEnabledAsync("ghost", true)).Should().ThrowAsync<RegistryException>())
            .Which.Message.Should().Contain("Instances: test, other");
        (await FluentActions.Awaiting(() => registry.Active.ActivateAsync(CallerKey.Global, "eks:none")).Should().ThrowAsync<RegistryException>())
            .Which.Kind.Should().Be(RegistryErrorKind.NotFound);
    }

    [Fact]
    public async Task ResolveInstance_UsesTheNamedOne_ElseTheActiveClustersInstance_ElseTheFirstEnabled()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        var global = CallerKey.Global;
        await registry.Instances.CreateAsync("test", "test-eu");
        registry.Resolver.ResolveInstance("test", null, global).Id.Should().Be("test");
        registry.Resolver.ResolveInstance("test", "test-eu", global).Id.Should().Be("test-eu");

        await registry.Clusters.SetDiscoveredClustersAsync("test-eu",
            [new ClusterInfo("test:eu", "eu", "eu-west-1", "test", null, new Dictionary<string, string>())], CancellationToken.None);
        await registry.Active.ActivateAsync(global, "test:eu");
        registry.Resolver.ResolveInstance("test", null, global).Id.Should().Be("test-eu");

        await registry.Instances.SetEnabledAsync("test-eu", false);
        var disabled = FluentActions.Invoking(() => registry.Resolver.ResolveInstance("test", "test-eu", global)).Should().Throw<RegistryException>().Which;
        disabled.Message.Should().Contain("disabled").And.NotContain("plugin_enable", "the registry names no MCP tool; the frontend words the remedy");
        disabled.Remedy.Should().Be(RegistryRemedy.EnableInstance);
        McpRemedies.Message(disabled).Should().Match("*disabled*plugin_enable*");
        FluentActions.Invoking(() => registry.Resolver.ResolveInstance("test", "other", global)).Should().Throw<RegistryException>().WithMessage("*is a other instance*");
    }

    [Fact]
    public async Task DiscoveredClusters_AreReplacedPerInstance_ManualOnesStay_AndTheActiveOneIsClearedWhenItVanishes()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        var empty = new Dictionary<string, string>();
        (await registry.Clusters.RegisterAsync(new ClusterInfo("", "handmade", "", "test", null, empty))).Id.Should().Be("test:handmade");
        await registry.Clusters.SetDiscoveredClustersAsync("test", [new("test:a", "a", "r", "test", null, empty), new("test:b", "b", "r", "test", null, empty)],
            CancellationToken.None);
        await registry.Active.ActivateAsync(CallerKey.Global, "test:b");
        await registry.Active.ActivateAsync(new CallerKey("alice"), "test:b");

        await registry.Clusters.SetDiscoveredClustersAsync("test", [new("test:a", "a", "r", "test", null, empty)], CancellationToken.None);

        registry.Clusters.All.Select(c => c.Id).Should().Equal("test:handmade", "test:a");
        registry.Active.Get(CallerKey.Global).Should().BeNull();
        registry.Active.Get(new CallerKey("alice")).Should().BeNull("a vanished cluster is active for no caller");
        registry.Clusters.All.Single(c => c.Id == "test:a").InstanceId.Should().Be("test");
    }

    [Fact]
    public async Task TryResolveCluster_PrefersNamed_ThenActiveOfTheType_ThenTheOnlyOne_ElseExplains()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        var global = CallerKey.Global;
        var empty = new Dictionary<string, string>();
        registry.Resolver.TryResolveCluster("test", null, global, out var none).Should().BeNull();
        none!.Message.Should().Contain("No test cluster is registered");

        await registry.Clusters.SetDiscoveredClustersAsync("test", [new("test:a", "a", "r", "test", null, empty)], CancellationToken.None);
        registry.Resolver.TryResolveCluster("test", null, global, out _)!.Id.Should().Be("test:a", "it is the only one");
        await registry.Clusters.SetDiscoveredClustersAsync("test", [new("test:a", "a", "r", "test", null, empty), new("test:b", "b", "r", "test", null, empty)],
            CancellationToken.None);
        registry.Resolver.TryResolveCluster("test", null, global, out var ambiguous).Should().BeNull();
        ambiguous!.Message.Should().Contain("test:a, test:b");
        McpRemedies.Message(ambiguous).Should().Contain("cluster_activate");
        registry.Resolver.TryResolveCluster("test", "b", global, out _)!.Id.Should().Be("test:b", "a unique name works as well as the id");
        await registry.Active.ActivateAsync(global, "test:b");
        registry.Resolver.TryResolveCluster("test", null, global, out _)!.Id.Should().Be("test:b");
        registry.Resolver.TryResolveCluster("test", "zzz", global, out var unknown).Should().BeNull();
        unknown!.Message.Should().Contain("No test cluster 'zzz'");
    }

    [Fact]
    public async Task RemovingAnInstance_DropsItsDiscoveredClusters_AndUnbindsManualOnes()
    {
        using var registry = await TestRegistry.CreateAsync(new InMemoryStateStore());
        var empty = new Dictionary<string, string>();
        await registry.Instances.CreateAsync("test", "test-eu");
        await registry.Clusters.SetDiscoveredClustersAsync("test-eu", [new("test:eu", "eu", "r", "test", null, empty)], CancellationToken.None);
        await registry.Clusters.RegisterAsync(new ClusterInfo("test:manual", "m", "", "test", "test-eu", empty));

        await registry.Instances.RemoveAsync("test-eu");

        registry.Clusters.All.Should().ContainSingle().Which.Should().Match<ClusterInfo>(c => c.Id == "test:manual" && c.InstanceId == null);
    }
}
