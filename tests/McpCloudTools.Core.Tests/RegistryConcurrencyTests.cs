using System.Collections.Concurrent;
using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.Tests;

public sealed class RegistryConcurrencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-concurrency-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ManyThreadsCreatingTogglingAndDeleting_LoseNoUpdate_AndTheFileEqualsMemory()
    {
        var path = Path.Combine(_dir, "state.json");
        var (registry, sp) = TestRegistry.Create(TestRegistry.FileStore(path));
        using var scope = sp;
        const int Workers = 8, PerWorker = 25;
        var errors = new ConcurrentBag<Exception>();
        var start = new Barrier(Workers);

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() =>
        {
            start.SignalAndWait();
            try
            {
                for (var n = 0; n < PerWorker; n++)
                {
                    var id = $"w{w}-{n}";
                    registry.CreateInstance("test", id, config: new Dictionary<string, string> { ["region"] = $"r{n}" });
                    registry.SetEnabled(id, n % 2 == 0);
                    registry.SetEnabled("other", n % 3 == 0);
                    registry.RegisterCluster(new ClusterInfo($"test:{id}", id, "r", "test", id, new Dictionary<string, string>()));
                    if (n % 5 == 4)
                    {
                        registry.RemoveInstance(id);
                        registry.RemoveCluster($"test:{id}");
                    }
                }
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        errors.Should().BeEmpty();
        var expected = Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(0, PerWorker).Where(n => n % 5 != 4).Select(n => $"w{w}-{n}")).ToHashSet();
        registry.Instances.Select(i => i.Id).Where(id => id.StartsWith('w')).Should().BeEquivalentTo(expected, "no create or delete may be lost");
        registry.Instances.Where(i => i.Id.StartsWith('w')).Should().OnlyContain(i => i.Enabled == (int.Parse(i.Id.Split('-')[1]) % 2 == 0));
        registry.Clusters.Select(c => c.Id).Should().BeEquivalentTo(expected.Select(id => $"test:{id}"));

        var reloaded = TestRegistry.FileStore(path).Load()!;
        reloaded.Instances.Should().BeEquivalentTo(registry.Instances, o => o.WithStrictOrdering());
        reloaded.Clusters.Should().BeEquivalentTo(registry.Clusters, o => o.WithStrictOrdering());
        Directory.GetFiles(_dir).Should().Equal([path], "no temporary files are left behind");
    }

    [Fact]
    public async Task ConcurrentToggles_LeaveTheAdvertisedToolsMatchingTheFinalState()
    {
        var (registry, sp) = TestRegistry.Create(new State.InMemoryStateStore());
        using var scope = sp;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => registry.SetEnabled("test", i % 2 == 0))));
        registry.SetEnabled("test", false);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => registry.SetEnabled("other", true))));

        registry.Tools.Select(t => t.ProtocolTool.Name).Should().NotContain(n => n.StartsWith("test_")).And.Contain("other_thing_ping");
    }
}
