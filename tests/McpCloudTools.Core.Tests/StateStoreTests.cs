using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;

namespace McpCloudTools.Core.Tests;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-state-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void State_SurvivesARestart()
    {
        var path = PathOf("state.json");
        var (first, sp1) = TestRegistry.Create(TestRegistry.FileStore(path));
        first.CreateInstance("test", "test-eu", "EU account", new Dictionary<string, string> { ["region"] = "eu-west-1" });
        first.SetEnabled("other", false);
        first.RegisterCluster(new ClusterInfo("test:prod", "prod", "eu-west-1", "test", "test-eu", new Dictionary<string, string> { ["queue"] = "q" }));
        first.ActivateCluster("test:prod");
        sp1.Dispose();

        var (second, sp2) = TestRegistry.Create(TestRegistry.FileStore(path));
        using var scope = sp2;
        second.Instances.Should().BeEquivalentTo(first.Instances, o => o.WithStrictOrdering());
        second.ActiveCluster!.Id.Should().Be("test:prod");
        second.Clusters.Single().Config["queue"].Should().Be("q");
        second.Tools.Select(t => t.ProtocolTool.Name).Should().NotContain("other_thing_ping", "other stayed disabled");
    }

    [Fact]
    public void ADeletedDefaultInstance_IsNotRecreatedOnRestart()
    {
        var path = PathOf("state.json");
        var (first, sp1) = TestRegistry.Create(TestRegistry.FileStore(path));
        first.RemoveInstance("other");
        sp1.Dispose();

        var (second, sp2) = TestRegistry.Create(TestRegistry.FileStore(path));
        using var scope = sp2;
        second.Instances.Select(i => i.Id).Should().Equal("test");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"schemaVersion\":2,\"instances\":[{\"id\":\"a\",\"type\":\"test\"},{\"id\":\"A\",\"type\":\"test\"}]}")]
    [InlineData("{\"schemaVersion\":2,\"instances\":\"nope\"}")]
    public void ACorruptFile_IsReportedClearly_AndLeftUntouched(string content)
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, content);
        var before = File.GetLastWriteTimeUtc(path);

        var act = () => TestRegistry.Create(TestRegistry.FileStore(path));

        act.Should().Throw<StateFileException>().Which.Message.Should().Contain(path).And.Contain("left untouched");
        File.ReadAllText(path).Should().Be(content);
        File.GetLastWriteTimeUtc(path).Should().Be(before);
        Directory.GetFiles(_dir).Should().HaveCount(1);
    }

    [Fact]
    public void AFileFromANewerVersion_IsRefused_AndLeftUntouched()
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, "{\"schemaVersion\":99,\"instances\":[]}");

        var act = () => TestRegistry.FileStore(path).Load();

        act.Should().Throw<StateFileException>().WithMessage("*schema version 99*newer*");
        File.ReadAllText(path).Should().Contain("99");
    }

    [Fact]
    public void ASchema1File_IsMigrated_KeepingEverything_AndTheOriginalIsBackedUp()
    {
        var path = PathOf("state.json");
        const string legacy = """
            {
              "version": 1,
              "plugins": {
                "test-prod": { "type": "test", "name": "Prod", "enabled": false, "config": { "region": "eu-central-1" } }
              },
              "clusters": {
                "c1": { "cluster_id": "test:prod", "name": "prod", "region": "eu-central-1", "plugin_type": "test", "config": { "queue": "hpc" } }
              },
              "active_cluster": "test:prod"
            }
            """;
        File.WriteAllText(path, legacy);

        var (registry, sp) = TestRegistry.Create(TestRegistry.FileStore(path));
        using var scope = sp;

        registry.Instances.Should().Contain(i => i.Id == "test-prod" && i.DisplayName == "Prod" && !i.Enabled && i.Config["region"] == "eu-central-1");
        registry.Instances.Select(i => i.Id).Should().NotContain("test", "the type was already known in the old file");
        registry.Instances.Select(i => i.Id).Should().Contain("other", "a type new to the file gets its default instance");
        registry.ActiveCluster!.Config["queue"].Should().Be("hpc");
        File.ReadAllText(path + ".v1.bak").Should().Be(legacy);
        File.ReadAllText(path).Should().Contain("\"schemaVersion\": 2");
    }

    [Fact]
    public void AnInstanceOfATypeThisBuildLacks_IsKept_NotDiscarded()
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, """{"schemaVersion":2,"knownTypes":["test","other","gone"],"instances":[{"id":"old","type":"gone","enabled":true,"config":{}}]}""");

        var (registry, sp) = TestRegistry.Create(TestRegistry.FileStore(path));
        using var scope = sp;
        registry.SetEnabled("old", false);

        TestRegistry.FileStore(path).Load()!.Instances.Should().Contain(i => i.Id == "old" && i.Type == "gone");
    }

    [Fact]
    public void AFailedWrite_ChangesNothing_AndSaysSo()
    {
        var (registry, sp) = TestRegistry.Create(new FailingStore());
        using var scope = sp;

        var act = () => registry.CreateInstance("test", "test-2");

        act.Should().Throw<ToolException>().WithMessage("*not made*disk full*");
        registry.Instances.Select(i => i.Id).Should().NotContain("test-2");
    }

    private sealed class FailingStore : IStateStore
    {
        private bool _loaded;

        public string Location => "failing";

        public RegistryState? Load() => null;

        public void Save(RegistryState state)
        {
            if (_loaded)
            {
                throw new IOException("disk full");
            }

            _loaded = true;
        }
    }
}
