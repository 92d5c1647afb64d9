using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace McpCloudTools.Core.Tests;

/// <summary>The one per-instance cache: one object per instance and config version, evicted and disposed with it.</summary>
public sealed class InstanceServiceCacheTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task AnInstancesObject_IsBuiltOnce_AndANewConfigGetsAFreshOne_TheOldDisposedOnceNoCallCanUseIt()
    {
        using var registry = await StartAsync();
        var built = 0;
        Client Get() => registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), ++built));

        var first = Get();
        Get().Should().BeSameAs(first);
        built.Should().Be(1);

        await registry.Instances.UpdateAsync("test", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        var second = Get();

        second.Should().NotBeSameAs(first);
        second.Region.Should().Be("eu-west-1", "the new config is what the next call uses");
        first.Disposed.Should().BeFalse("a call that took it before the change may still be running");
        _time.Advance(InstanceServiceCache.RetiredLifetime - TimeSpan.FromSeconds(1));
        first.Disposed.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));
        first.Disposed.Should().BeTrue();
        second.Disposed.Should().BeFalse();
    }

    [Fact]
    public async Task RemovingAnInstance_EvictsEveryObjectOfIt_AndARecreatedInstanceStartsAfresh()
    {
        using var registry = await StartAsync();
        await registry.Instances.CreateAsync("test", "test-eu", config: new Dictionary<string, string> { ["region"] = "eu-west-1" });
        var instance = registry.Instances.Get("test-eu");
        var client = registry.Cache.Get(instance, i => new Client(i.Get("region"), 1));
        var connection = registry.Cache.Get(instance, i => new Client("conn", 2), key: "cluster-a");
        var untouched = registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), 3));
        var before = registry.Cache.Count;

        await registry.Instances.RemoveAsync("test-eu");

        registry.Cache.Count.Should().Be(before - 2, "both objects of the removed instance are evicted, the other instance's stay");
        _time.Advance(InstanceServiceCache.RetiredLifetime);
        client.Disposed.Should().BeTrue();
        connection.Disposed.Should().BeTrue();
        untouched.Disposed.Should().BeFalse();

        await registry.Instances.CreateAsync("test", "test-eu", config: new Dictionary<string, string> { ["region"] = "eu-central-1" });
        registry.Cache.Get(registry.Instances.Get("test-eu"), i => new Client(i.Get("region"), 4)).Region.Should().Be("eu-central-1");
    }

    [Fact]
    public async Task AFailedBuild_IsNotKept_SoTheNextCallTriesAgain()
    {
        using var registry = await StartAsync();
        var instance = registry.Instances.Get("test");
        var attempts = 0;

        var fail = () => registry.Cache.Get<Client>(instance, _ => { attempts++; throw new ToolException("no region configured"); });
        fail.Should().Throw<ToolException>();
        registry.Cache.Get(instance, _ => new Client("us-east-1", ++attempts)).Region.Should().Be("us-east-1");
        attempts.Should().Be(2);

        var asyncFailure = () => registry.Cache.GetAsync<Client>(instance, "c", _ => Task.FromException<Client>(new ToolException("unreachable")), "a connection",
            CancellationToken.None);
        await asyncFailure.Should().ThrowAsync<ToolException>();
        (await registry.Cache.GetAsync(instance, "c", _ => Task.FromResult(new Client("c", 9)), "a connection", CancellationToken.None)).Number.Should().Be(9);
    }

    [Fact]
    public async Task StoppingTheServer_DisposesWhatIsCachedAndWhatWaitsToBeDisposed()
    {
        var registry = await StartAsync();
        var current = registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), 1));
        await registry.Instances.UpdateAsync("test", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        var retired = current;
        current = registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), 2));

        registry.Dispose();

        retired.Disposed.Should().BeTrue();
        current.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task TypedSettings_AreParsedOncePerConfigVersion_AndAConfigThatNoLongerParsesSaysWhatIsWrong()
    {
        using var registry = await StartAsync();
        var settings = registry.Cache.Settings<IReadOnlyDictionary<string, string>>(registry.Instances.Get("test"));
        registry.Cache.Settings<IReadOnlyDictionary<string, string>>(registry.Instances.Get("test")).Should().BeSameAs(settings);

        var wrongType = () => registry.Cache.Settings<string>(registry.Instances.Get("test"));
        wrongType.Should().Throw<InvalidOperationException>().WithMessage("*settings are a*not a String*");
    }

    [Fact]
    public async Task ObjectsKeptForOneCaller_AreRetiredOnceUnusedForHalfAnHour_WhileTheInstancesOwnAndOtherCallersStay()
    {
        using var registry = await StartAsync();
        // The test plugin has no AWS keys; the cache reads only the instance's config, as an AWS instance's would be.
        var actsAsCaller = registry.Instances.Get("test") with
        {
            Id = "test-me", Config = new Dictionary<string, string> { [PluginInstance.CallerRoleKey] = "arn:aws:iam::123456789012:role/team" },
        };
        var shared = registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), 0));
        Client As(string subject, int number)
        {
            using (CallerKey.Enter(new CallerKey(subject)))
            {
                return registry.Cache.Get(actsAsCaller, i => new Client(subject, number));
            }
        }

        var alice = As("alice", 1);
        var bob = As("bob", 2);
        As("alice", 3).Should().BeSameAs(alice, "one caller's object is reused while in use");
        registry.Cache.Count.Should().Be(3);

        // Bob keeps working; alice stops.
        for (var minute = 0; minute < 29; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            As("bob", 4).Should().BeSameAs(bob);
        }

        registry.Cache.Count.Should().Be(3, "nothing has been unused for 30 minutes yet");
        for (var minute = 0; minute < 6; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            As("bob", 4).Should().BeSameAs(bob);
        }

        registry.Cache.Count.Should().Be(2, "alice's object went between 30 and 35 minutes after her last call; bob's and the instance's own stay");
        alice.Disposed.Should().BeFalse("a call that took it may still be running");
        _time.Advance(InstanceServiceCache.RetiredLifetime);
        alice.Disposed.Should().BeTrue();
        registry.Cache.Count.Should().Be(1, "bob has now been idle that long too, so his went; the instance's own object stays");
        shared.Disposed.Should().BeFalse("objects not kept per caller are bounded by the instances, and stay");
        registry.Cache.Get(registry.Instances.Get("test"), i => new Client(i.Get("region"), 5)).Should().BeSameAs(shared);

        var again = As("alice", 6);
        again.Should().NotBeSameAs(alice, "her next call builds a fresh one");
        again.Number.Should().Be(6);
    }

    private Task<TestRegistry> StartAsync() => TestRegistry.CreateAsync(new InMemoryStateStore(), configure: s => s.AddSingleton<TimeProvider>(_time));

    private sealed class Client(string? region, int number) : IDisposable
    {
        public string? Region { get; } = region;

        public int Number { get; } = number;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
