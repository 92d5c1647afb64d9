using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;

namespace McpCloudTools.Core.Tests;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-state-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task State_SurvivesARestart()
    {
        var path = PathOf("state.json");
        IReadOnlyList<Plugins.PluginInstance> before;
        using (var first = await TestRegistry.CreateAsync(TestRegistry.FileStore(path)))
        {
            await first.Instances.CreateAsync("test", "test-eu", "EU account", new Dictionary<string, string> { ["region"] = "eu-west-1" });
            await first.Instances.SetEnabledAsync("other", false);
            await first.Clusters.RegisterAsync(new ClusterInfo("test:prod", "prod", "eu-west-1", "test", "test-eu", new Dictionary<string, string> { ["queue"] = "q" }));
            await first.Clusters.RegisterAsync(new ClusterInfo("test:dev", "dev", "eu-west-1", "test", "test-eu", new Dictionary<string, string>()));
            await first.Active.ActivateAsync(CallerKey.Global, "test:prod");
            await first.Active.ActivateAsync(new CallerKey("alice"), "test:dev");
            before = first.Instances.All;
        }

        using var second = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        second.Instances.All.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        second.Active.Get(CallerKey.Global)!.Id.Should().Be("test:prod");
        second.Active.Get(new CallerKey("alice"))!.Id.Should().Be("test:dev", "each caller's active cluster is kept");
        second.Active.Get(new CallerKey("bob"))!.Id.Should().Be("test:prod", "a caller without its own uses the global one");
        second.Clusters.All.First().Config["queue"].Should().Be("q");
        second.ToolNames.Should().NotContain("other_thing_ping", "other stayed disabled");
    }

    [Fact]
    public async Task ADeletedDefaultInstance_IsNotRecreatedOnRestart()
    {
        var path = PathOf("state.json");
        using (var first = await TestRegistry.CreateAsync(TestRegistry.FileStore(path)))
        {
            await first.Instances.RemoveAsync("other");
        }

        using var second = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        second.Instances.All.Select(i => i.Id).Should().Equal("test");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"schemaVersion\":2,\"instances\":[{\"id\":\"a\",\"type\":\"test\"},{\"id\":\"A\",\"type\":\"test\"}]}")]
    [InlineData("{\"schemaVersion\":2,\"instances\":\"nope\"}")]
    public async Task ACorruptFile_IsReportedClearly_AndLeftUntouched(string content)
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, content);
        var before = File.GetLastWriteTimeUtc(path);

        var act = () => TestRegistry.CreateAsync(TestRegistry.FileStore(path));

        (await act.Should().ThrowAsync<StateFileException>()).Which.Message.Should().Contain(path).And.Contain("left untouched");
        File.ReadAllText(path).Should().Be(content);
        File.GetLastWriteTimeUtc(path).Should().Be(before);
        Directory.GetFiles(_dir).Should().HaveCount(1);
    }

    [Fact]
    public async Task AFileFromANewerVersion_IsRefused_AndLeftUntouched()
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, "{\"schemaVersion\":99,\"instances\":[]}");

        var act = async () => await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None);

        await act.Should().ThrowAsync<StateFileException>().WithMessage("*schema version 99*newer*");
        File.ReadAllText(path).Should().Contain("99");
    }

    [Fact]
    public async Task ASchema1File_IsMigrated_KeepingEverything_AndTheOriginalIsBackedUp()
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

        using var registry = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));

        registry.Instances.All.Should().Contain(i => i.Id == "test-prod" && i.DisplayName == "Prod" && !i.Enabled && i.Config["region"] == "eu-central-1");
        registry.Instances.All.Select(i => i.Id).Should().NotContain("test", "the type was already known in the old file");
        registry.Instances.All.Select(i => i.Id).Should().Contain("other", "a type new to the file gets its default instance");
        registry.Active.Get(CallerKey.Global)!.Config["queue"].Should().Be("hpc");
        File.ReadAllText(path + ".v1.bak").Should().Be(legacy);
        File.ReadAllText(path).Should().Contain("\"schemaVersion\": 3");
    }

    [Fact]
    public async Task AnInstanceOfATypeThisBuildLacks_IsKept_NotDiscarded()
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, """{"schemaVersion":2,"knownTypes":["test","other","gone"],"instances":[{"id":"old","type":"gone","enabled":true,"config":{}}]}""");

        using var registry = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        await registry.Instances.SetEnabledAsync("old", false);

        (await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None))!.State.Instances.Should().Contain(i => i.Id == "old" && i.Type == "gone");
    }

    [Fact]
    public async Task ASchema2File_IsMigratedTo3_ItsActiveClusterBecomingTheGlobalOne_AndTheOriginalIsBackedUp()
    {
        var path = PathOf("state.json");
        const string schema2 = """
            {"schemaVersion":2,"knownTypes":["test","other"],
             "instances":[{"id":"test","type":"test","enabled":true,"config":{"region":"eu-west-1"},"configVersion":3},
                          {"id":"other","type":"other","enabled":false,"config":{}}],
             "clusters":[{"id":"test:prod","name":"prod","region":"eu-west-1","pluginType":"test","instanceId":"test","config":{"queue":"q"},"source":"manual"}],
             "activeCluster":"test:prod"}
            """;
        File.WriteAllText(path, schema2);

        using var registry = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));

        registry.Active.Get(CallerKey.Global)!.Id.Should().Be("test:prod");
        registry.Active.Get(new CallerKey("alice"))!.Id.Should().Be("test:prod", "a caller without a choice of its own has the global one");
        registry.Instances.Get("test").ConfigVersion.Should().Be(3);
        registry.ToolNames.Should().NotContain("other_thing_ping");
        File.ReadAllText(path + ".v2.bak").Should().Be(schema2);
        var migrated = File.ReadAllText(path);
        migrated.Should().Contain("\"schemaVersion\": 3").And.Contain("\"revision\": 1").And.Contain("\"global\": \"test:prod\"").And.NotContain("\"activeCluster\"");
        (await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task TwoServersOnOneFile_LoseNoChange_TheLaterComputesItsChangeAgainOnTheOthersState()
    {
        var path = PathOf("state.json");
        using var a = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        using var b = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));

        await a.Instances.CreateAsync("test", "from-a");
        var versionB = b.State.Version;
        await b.Instances.CreateAsync("test", "from-b");

        b.State.Version.Should().BeGreaterThan(versionB + 1, "b's first save met a's newer revision, so b reloaded and saved again");
        b.Instances.All.Select(i => i.Id).Should().Contain(["from-a", "from-b"], "b's change was computed again on the state a stored");
        (await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None))!.State.Instances.Select(i => i.Id).Should().Contain(["from-a", "from-b"]);
    }

    [Fact]
    public async Task TwoServersOnOneFile_AChangeRefusedOrAlreadyDoneOnAStaleCopy_IsComputedAgainOnTheFile()
    {
        // Nothing tells b that a wrote the file: only the file's revision (the store's version probe) shows b's copy is stale.
        var path = PathOf("state.json");
        using var a = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        using var b = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        await a.Instances.CreateAsync("test", "from-a");

        // On b's copy "from-a" does not exist: refusing would answer "no such instance" for one the file holds.
        (await b.Instances.SetEnabledAsync("from-a", false)).Enabled.Should().BeFalse();

        // a enables it again; on b's copy it is still disabled, so "disable" looks done already: it is not.
        await a.Instances.SetEnabledAsync("from-a", true);
        await b.Instances.SetEnabledAsync("from-a", false);

        (await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None))!.State.FindInstance("from-a")!.Enabled
            .Should().BeFalse("b's later disable reached the file");
    }

    [Fact]
    public async Task AReplicaThatHasNotHeardOfAnotherReplicasChange_ComputesARefusalOrANoOpAgainOnTheStoredState()
    {
        // b shares a's store but hears nothing (a notification still on its way): its copy is stale.
        var shared = new InMemoryStateStore();
        using var a = await TestRegistry.CreateAsync(new UnannouncedStore(shared));
        using var b = await TestRegistry.CreateAsync(new UnannouncedStore(shared));
        await a.Instances.CreateAsync("test", "from-a");

        // On b's copy "from-a" does not exist: refusing would answer 404 for an instance that exists.
        (await b.Instances.SetEnabledAsync("from-a", false)).Enabled.Should().BeFalse();

        // a enables it again; on b's copy it is still disabled, so "disable" looks done already: it is not.
        await a.Instances.SetEnabledAsync("from-a", true);
        await b.Instances.SetEnabledAsync("from-a", false);

        (await shared.LoadAsync(CancellationToken.None))!.State.FindInstance("from-a")!.Enabled.Should().BeFalse("b's later disable is not lost");
    }

    /// <summary>A shared store whose changes are not announced: only the version probe tells a copy is stale.</summary>
    private sealed class UnannouncedStore(InMemoryStateStore inner) : IStateStore, IStateVersionProbe
    {
        public string Location => inner.Location;

        public ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken) =>
            inner.SaveAsync(state, expectedVersion, cancellationToken);

        public ValueTask<long> StoredVersionAsync(CancellationToken cancellationToken) => inner.StoredVersionAsync(cancellationToken);
    }

    [Fact]
    public async Task AChangeThatConflictsEveryTime_IsReportedAsAConflict_AndChangesNothing()
    {
        var store = new AlwaysNewerStore();
        using var registry = await TestRegistry.CreateAsync(store);

        var act = () => registry.Instances.CreateAsync("test", "test-2");

        (await act.Should().ThrowAsync<RegistryException>()).Which.Should().Match<RegistryException>(e =>
            e.Kind == RegistryErrorKind.Conflict && e.Message.Contains("not saved", StringComparison.Ordinal));
        store.Attempts.Should().Be(RegistryStateOwner.MaxAttempts);
        registry.Instances.All.Select(i => i.Id).Should().NotContain("test-2");
    }

    [Fact]
    public async Task AFailedWrite_ChangesNothing_AndSaysTheChangeWasNotSaved()
    {
        using var registry = await TestRegistry.CreateAsync(new FailingStore());

        var act = () => registry.Instances.CreateAsync("test", "test-2");

        await act.Should().ThrowAsync<StateNotSavedException>().WithMessage("*not saved*disk full*");
        registry.Instances.All.Select(i => i.Id).Should().NotContain("test-2");
    }

    private sealed class FailingStore : IStateStore
    {
        private StoredState? _stored;

        public string Location => "failing";

        public ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_stored);

        public ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken)
        {
            if (_stored is not null)
            {
                throw new IOException("disk full");
            }

            _stored = new StoredState(state, 1);
            return ValueTask.FromResult(SaveOutcome.Success(1));
        }
    }

    /// <summary>A store another server always writes to first: every save after the first load conflicts.</summary>
    private sealed class AlwaysNewerStore : IStateStore
    {
        private StoredState? _stored;

        public int Attempts { get; private set; }

        public string Location => "shared";

        public ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_stored);

        public ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken)
        {
            if (_stored is null)
            {
                _stored = new StoredState(state, 1);
                return ValueTask.FromResult(SaveOutcome.Success(1));
            }

            Attempts++;
            _stored = _stored with { Version = _stored.Version + 1 };
            return ValueTask.FromResult(SaveOutcome.Conflict(_stored.Version));
        }
    }
}
