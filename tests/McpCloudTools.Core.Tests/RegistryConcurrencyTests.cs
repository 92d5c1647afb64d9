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
        using var registry = await TestRegistry.CreateAsync(TestRegistry.FileStore(path));
        const int Workers = 8, PerWorker = 25;
        var errors = new ConcurrentBag<Exception>();
        var start = new Barrier(Workers);

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            try
            {
                for (var n = 0; n < PerWorker; n++)
                {
                    var id = $"w{w}-{n}";
                    await registry.Instances.CreateAsync("test", id, config: new Dictionary<string, string> { ["region"] = $"r{n}" });
                    await registry.Instances.SetEnabledAsync(id, n % 2 == 0);
                    await registry.Instances.SetEnabledAsync("other", n % 3 == 0);
                    await registry.Clusters.RegisterAsync(new ClusterInfo($"test:{id}", id, "r", "test", id, new Dictionary<string, string>()));
                    if (n % 5 == 4)
                    {
                        await registry.Instances.RemoveAsync(id);
                        await registry.Clusters.RemoveAsync($"test:{id}");
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
        registry.Instances.All.Select(i => i.Id).Where(id => id.StartsWith('w')).Should().BeEquivalentTo(expected, "no create or delete may be lost");
        registry.Instances.All.Where(i => i.Id.StartsWith('w')).Should().OnlyContain(i => i.Enabled == (int.Parse(i.Id.Split('-')[1]) % 2 == 0));
        registry.Clusters.All.Select(c => c.Id).Should().BeEquivalentTo(expected.Select(id => $"test:{id}"));

        var reloaded = (await TestRegistry.FileStore(path).LoadAsync(CancellationToken.None))!.State;
        reloaded.Instances.Should().BeEquivalentTo(registry.Instances.All, o => o.WithStrictOrdering());
        reloaded.Clusters.Should().BeEquivalentTo(registry.Clusters.All, o => o.WithStrictOrdering());
        Directory.GetFiles(_dir).Should().Equal([path], "no temporary files are left behind");
    }

    [Fact]
    public async Task ConcurrentToggles_LeaveTheAdvertisedToolsMatchingTheFinalState()
    {
        using var registry = await TestRegistry.CreateAsync(new State.InMemoryStateStore());
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => registry.Instances.SetEnabledAsync("test", i % 2 == 0))));
        await registry.Instances.SetEnabledAsync("test", false);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => registry.Instances.SetEnabledAsync("other", true))));

        registry.ToolNames.Should().NotContain(n => n.StartsWith("test_")).And.Contain("other_thing_ping");
    }
}
