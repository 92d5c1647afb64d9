using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;

namespace McpCloudTools.Core.Tests;

public sealed class RegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-registry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FirstStart_GivesEachPluginTypeOneEnabledDefaultInstance_AndAdvertisesItsTools()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;

        registry.Instances.Select(i => (i.Id, i.Type, i.Enabled)).Should().Equal(("test", "test", true), ("other", "other", true));
        var names = registry.Tools.Select(t => t.ProtocolTool.Name).ToList();
        names.Should().Contain(["plugins_list", "plugin_enable", "plugin_disable", "clusters_list", "cluster_activate", "test_item_list", "other_thing_ping"]);
    }

    [Fact]
    public void ReadOnlyMode_LeavesWriteAndDestructiveToolsOut_AllowWriteAddsThem()
    {
        var (readOnly, sp1) = TestRegistry.Create(new InMemoryStateStore());
        var (readWrite, sp2) = TestRegistry.Create(new InMemoryStateStore(), new SafetyOptions { AllowWrite = true });
        using var scope1 = sp1;
        using var scope2 = sp2;

        readOnly.Tools.Select(t => t.ProtocolTool.Name).Should().NotContain(["test_item_update", "test_item_delete"]);
        readWrite.Tools.Select(t => t.ProtocolTool.Name).Should().Contain(["test_item_update", "test_item_delete"]);
        readOnly.Tools.Select(t => t.ProtocolTool.Name).Should().Contain(["plugin_enable", "cluster_activate"], "management tools are always present");
    }

    [Fact]
    public void DisablingTheLastInstanceOfAType_RemovesItsTools_EnablingAnyBringsThemBack()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        registry.CreateInstance("test", "test-eu", config: new Dictionary<string, string> { ["region"] = "eu-west-1" });

        registry.SetEnabled("test", false);
        registry.Tools.TryGetPrimitive("test_item_list", out _).Should().BeTrue("test-eu is still enabled");
        registry.SetEnabled("test-eu", false);
        registry.Tools.TryGetPrimitive("test_item_list", out _).Should().BeFalse();
        registry.SetEnabled("test-eu", true);
        registry.Tools.TryGetPrimitive("test_item_list", out _).Should().BeTrue();
    }

    [Fact]
    public void ToolChanges_RaiseOneChangedEventPerRegistryChange()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        var events = 0;
        registry.Tools.Changed += (_, _) => Interlocked.Increment(ref events);

        registry.SetEnabled("test", false);
        registry.SetEnabled("test", false);
        registry.SetEnabled("test", true);

        events.Should().Be(2, "disabling twice changes nothing the second time, and several tools change at once");
    }

    [Fact]
    public void BadRequests_GetMessagesThatSayWhatToDo()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;

        FluentActions.Invoking(() => registry.CreateInstance("nope")).Should().Throw<RegistryException>()
            .Which.Message.Should().Contain("Types: test, other");
        FluentActions.Invoking(() => registry.CreateInstance("test", "Bad Id!")).Should().Throw<RegistryException>()
            .Which.Kind.Should().Be(RegistryErrorKind.Invalid);
        FluentActions.Invoking(() => registry.CreateInstance("test", "test")).Should().Throw<RegistryException>()
            .Which.Kind.Should().Be(RegistryErrorKind.Conflict);
        FluentActions.Invoking(() => registry.CreateInstance("test", config: new Dictionary<string, string> { ["regoin"] = "x" }))
            .Should().Throw<RegistryException>().WithMessage("*regoin*Valid keys: region, items*");
        FluentActions.Invoking(() => registry.SetEnabled("ghost", true)).Should().Throw<RegistryException>()
            .Which.Message.Should().Contain("Instances: test, other");
        FluentActions.Invoking(() => registry.ActivateCluster("eks:none")).Should().Throw<RegistryException>()
            .Which.Kind.Should().Be(RegistryErrorKind.NotFound);
    }

    [Fact]
    public void ResolveInstance_UsesTheNamedOne_ElseTheActiveClustersInstance_ElseTheFirstEnabled()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        registry.CreateInstance("test", "test-eu");
        registry.ResolveInstance("test", null).Id.Should().Be("test");
        registry.ResolveInstance("test", "test-eu").Id.Should().Be("test-eu");

        registry.SetDiscoveredClusters("test-eu", [new ClusterInfo("test:eu", "eu", "eu-west-1", "test", null, new Dictionary<string, string>())]);
        registry.ActivateCluster("test:eu");
        registry.ResolveInstance("test", null).Id.Should().Be("test-eu");

        registry.SetEnabled("test-eu", false);
        FluentActions.Invoking(() => registry.ResolveInstance("test", "test-eu")).Should().Throw<RegistryException>().WithMessage("*disabled*plugin_enable*");
        FluentActions.Invoking(() => registry.ResolveInstance("test", "other")).Should().Throw<RegistryException>().WithMessage("*is a other instance*");
    }

    [Fact]
    public void DiscoveredClusters_AreReplacedPerInstance_ManualOnesStay_AndTheActiveOneIsClearedWhenItVanishes()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        var empty = new Dictionary<string, string>();
        registry.RegisterCluster(new ClusterInfo("", "handmade", "", "test", null, empty)).Id.Should().Be("test:handmade");
        registry.SetDiscoveredClusters("test", [new("test:a", "a", "r", "test", null, empty), new("test:b", "b", "r", "test", null, empty)]);
        registry.ActivateCluster("test:b");

        registry.SetDiscoveredClusters("test", [new("test:a", "a", "r", "test", null, empty)]);

        registry.Clusters.Select(c => c.Id).Should().Equal("test:handmade", "test:a");
        registry.ActiveCluster.Should().BeNull();
        registry.Clusters.Single(c => c.Id == "test:a").InstanceId.Should().Be("test");
    }

    [Fact]
    public void TryResolveCluster_PrefersNamed_ThenActiveOfTheType_ThenTheOnlyOne_ElseExplains()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        var empty = new Dictionary<string, string>();
        registry.TryResolveCluster("test", null, out var none).Should().BeNull();
        none.Should().Contain("No test cluster is registered");

        registry.SetDiscoveredClusters("test", [new("test:a", "a", "r", "test", null, empty)]);
        registry.TryResolveCluster("test", null, out _)!.Id.Should().Be("test:a", "it is the only one");
        registry.SetDiscoveredClusters("test", [new("test:a", "a", "r", "test", null, empty), new("test:b", "b", "r", "test", null, empty)]);
        registry.TryResolveCluster("test", null, out var ambiguous).Should().BeNull();
        ambiguous.Should().Contain("test:a, test:b").And.Contain("cluster_activate");
        registry.TryResolveCluster("test", "b", out _)!.Id.Should().Be("test:b", "a unique name works as well as the id");
        registry.ActivateCluster("test:b");
        registry.TryResolveCluster("test", null, out _)!.Id.Should().Be("test:b");
        registry.TryResolveCluster("test", "zzz", out var unknown).Should().BeNull();
        unknown.Should().Contain("No test cluster 'zzz'");
    }

    [Fact]
    public void RemovingAnInstance_DropsItsDiscoveredClusters_AndUnbindsManualOnes()
    {
        var (registry, sp) = TestRegistry.Create(new InMemoryStateStore());
        using var scope = sp;
        var empty = new Dictionary<string, string>();
        registry.CreateInstance("test", "test-eu");
        registry.SetDiscoveredClusters("test-eu", [new("test:eu", "eu", "r", "test", null, empty)]);
        registry.RegisterCluster(new ClusterInfo("test:manual", "m", "", "test", "test-eu", empty));

        registry.RemoveInstance("test-eu");

        registry.Clusters.Should().ContainSingle().Which.Should().Match<ClusterInfo>(c => c.Id == "test:manual" && c.InstanceId == null);
    }
}
