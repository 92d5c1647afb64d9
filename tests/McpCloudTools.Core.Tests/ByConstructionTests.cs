using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Tests;

/// <summary>
/// What the frame guarantees whatever a plugin author remembers: a sensitive tool cannot leak by omission, a type
/// whose tools are broken is refused before anything is stored, arguments are bound before a tool runs (so what fails
/// inside it is its own failure), and a call that finds no cluster says why discovery failed.
/// </summary>
public sealed class ByConstructionTests
{
    [Fact]
    public async Task ASensitiveToolThatMarksNothing_LeaksNothing_TheMarkerAloneTakesItsResultThroughTheStrictPath()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<ForgetfulPlugin>());

        var text = (await h.CallAsync("forgetful_env_get")).Text();

        foreach (var secret in new[] { "hunter2", "ck-778899", "s4lt-v4lue", "tok-123456789", "S3cr3t-Pa55w0rd", "app:", "AKIAIOSFODNN7EXAMPLE", "QWxhZGRpbjpvcGVu" })
        {
            text.Should().NotContain(secret);
        }

        text.Should().Contain("LOG_LEVEL=info").And.Contain("\"region\": \"eu-west-1\"").And.Contain("<secret db/password>",
            "values that are no secrets (and references to secrets) stay readable");
        text.Should().Contain("DB_PASS=[redacted]").And.Contain("DATABASE_URL=[redacted]").And.Contain("\"auth_header\": \"[redacted]\"");
    }

    [Fact]
    public async Task TheSameTextFromAToolNotMarkedSensitive_TakesOnlyTheOrdinaryPath_SoTheMarkerIsWhatProtects()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<ForgetfulPlugin>());

        var text = (await h.CallAsync("forgetful_env_peek")).Text();

        text.Should().Contain("DB_PASS=hunter2", "a name that merely contains a secret word is redacted only on the strict path")
            .And.Contain("API_TOKEN=[redacted]").And.NotContain("S3cr3t-Pa55w0rd", "well-known shapes are scrubbed everywhere");
    }

    [Fact]
    public async Task WithAllowSensitiveData_TheSensitiveToolShowsEverything()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<ForgetfulPlugin>(), new SafetyOptions { AllowSensitiveData = true });

        (await h.CallAsync("forgetful_env_get")).Text().Should().Be(ForgetfulTools.Unmarked);
    }

    [Fact]
    public async Task ASensitiveToolsStructuredResult_TakesTheStrictPathToo()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<ForgetfulPlugin>());

        var result = await h.CallAsync("forgetful_settings_get");

        result.StructuredContent!.Value.GetProperty("clientSecret").GetString().Should().Be("[redacted]");
        result.StructuredContent!.Value.GetProperty("name").GetString().Should().Be("web");
        result.Text().Should().NotContain("plain-value").And.Contain("web");
    }

    [Fact]
    public async Task EnablingATypeWhoseToolsAreInvalid_ChangesAndStoresNothing_AndSaysWhy()
    {
        var store = new InMemoryStateStore();
        await using var h = await McpHarness.StartAsync(s => { s.AddPlugin<TestPlugin>(); s.AddPlugin<BrokenPlugin>(); }, store: store);
        var saves = store.SaveCount;
        var toolsBefore = await h.ToolNamesAsync();

        var enable = () => h.Instances.SetEnabledAsync("broken", true);

        (await enable.Should().ThrowAsync<ServerFaultException>()).Which.Message.Should()
            .StartWith("The broken plugin's tools cannot be advertised (Tool 'broken_thing_get' must set ReadOnly, Destructive, Idempotent and OpenWorld")
            .And.Contain("nothing was changed");
        store.SaveCount.Should().Be(saves, "nothing is stored before the tools are known to be valid");
        h.Instances.Get("broken").Enabled.Should().BeFalse();
        (await h.ToolNamesAsync()).Should().Equal(toolsBefore);

        var overMcp = await h.CallAsync("plugin_enable", new { id = "broken" });
        overMcp.IsError.Should().BeTrue();
        overMcp.Text().Should().StartWith("The broken plugin's tools cannot be advertised").And.NotContain("unexpectedly");
        store.SaveCount.Should().Be(saves);
    }

    [Fact]
    public async Task ArgumentsThatDoNotBind_AreRefusedBeforeTheToolRuns_AToolsOwnArgumentExceptionIsItsOwnFailure()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<ForgetfulPlugin>());

        var missing = await h.CallAsync("forgetful_count_run");
        missing.Text().Should().Be("Invalid arguments for forgetful_count_run: count is required (an integer) and was not given. " +
                                   "tools/list gives the expected input schema.");
        var wrongType = await h.CallAsync("forgetful_count_run", new Dictionary<string, object?> { ["count"] = "many" });
        wrongType.Text().Should().Be("Invalid arguments for forgetful_count_run: count must be an integer, not a string ('many'). " +
                                     "tools/list gives the expected input schema.");
        var wrongList = await h.CallAsync("forgetful_count_run", new Dictionary<string, object?> { ["count"] = 2, ["tags"] = "a" });
        wrongList.Text().Should().StartWith("Invalid arguments for forgetful_count_run: tags must be a list of strings, not a string ('a').");
        ForgetfulTools.Runs.Should().Be(0, "none of these reached the tool");

        (await h.CallAsync("forgetful_count_run", new { count = 2, tags = new[] { "a" } })).Text().Should().Be("ran 2 (a)");

        var own = await h.CallAsync("forgetful_bug_run");
        own.IsError.Should().BeTrue();
        own.Text().Should().StartWith("forgetful_bug_run failed unexpectedly (ArgumentException)", "a tool's own ArgumentException is a defect, not the caller's arguments");
    }

    [Fact]
    public async Task ACallThatFindsNoCluster_SaysWhyEachInstancesDiscoveryFailed()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<TestPlugin>());
        await h.Instances.UpdateAsync("test", null, new Dictionary<string, string> { ["region"] = "unreachable" });

        var result = await h.CallAsync("test_cluster_get");

        result.IsError.Should().BeTrue();
        result.Text().Should().Be("No test cluster is registered. Discovery failed: instance test: Region 'unreachable' does not answer (discovery). " +
                                  "clusters_list discovers them; register one with POST /api/clusters.");
    }

    [Fact]
    public async Task AChangeMadeByAnotherServerSharingTheStore_ReachesThisServersClients()
    {
        var shared = new InMemoryStateStore();
        await using var a = await McpHarness.StartAsync(s => s.AddPlugin<TestPlugin>(), store: shared);
        await using var b = await McpHarness.StartAsync(s => s.AddPlugin<TestPlugin>(), store: shared);
        (await b.ToolNamesAsync()).Should().Contain("test_item_list");

        (await a.CallAsync("plugin_disable", new { id = "test" })).IsError.Should().NotBe(true);

        await b.ListChanged.NextAsync();
        (await b.ToolNamesAsync()).Should().NotContain("test_item_list", "b reloaded the state a stored and advertised it");
        b.Instances.Get("test").Enabled.Should().BeFalse();
        b.State.Version.Should().Be(a.State.Version);
    }
}

/// <summary>A plugin whose author forgot every redaction call.</summary>
public sealed class ForgetfulPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("forgetful", "Forgetful", "Returns secrets without marking them.", "?", "0.0.1");

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<ForgetfulTools>();

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) => Task.FromResult(HealthReport.Healthy("ok"));

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) => Task.FromResult(new StatusSummary("ok"));
}

/// <summary>The forgetful plugin's tools.</summary>
public sealed class ForgetfulTools
{
    /// <summary>What a careless tool returns: secrets in every usual shape, none of them marked.</summary>
    public const string Unmarked =
        "env: LOG_LEVEL=info, DB_PASS=hunter2, SESSION_COOKIE=ck-778899, SIGNING_SALT=s4lt-v4lue, API_TOKEN=tok-123456789, " +
        "DATABASE_URL=postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/app, AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n" +
        "json: {\"auth_header\": \"Basic-QWxhZGRpbjpvcGVu\", \"region\": \"eu-west-1\", \"ref\": \"<secret db/password>\"}";

    private static int _runs;

    /// <summary>How many times forgetful_count_run ran.</summary>
    public static int Runs => Volatile.Read(ref _runs);

    /// <summary>A sensitive tool that marks nothing.</summary>
    [McpServerTool(Name = "forgetful_env_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false), SensitiveData]
    [Description("A workload's environment.")]
    public static string Get() => Unmarked;

    /// <summary>The same text from a tool nobody marked sensitive.</summary>
    [McpServerTool(Name = "forgetful_env_peek", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("The same environment, unmarked.")]
    public static string Peek() => Unmarked;

    /// <summary>A sensitive tool with a structured result.</summary>
    [McpServerTool(Name = "forgetful_settings_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true), SensitiveData]
    [Description("Settings.")]
    public static Dictionary<string, string> Settings() => new() { ["clientSecret"] = "plain-value", ["name"] = "web" };

    /// <summary>A tool with a required integer.</summary>
    [McpServerTool(Name = "forgetful_count_run", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Counts.")]
    public static string Count([Description("How many")] int count, [Description("Tags")] string[]? tags = null)
    {
        Interlocked.Increment(ref _runs);
        return $"ran {count} ({string.Join(",", tags ?? [])})";
    }

    /// <summary>A tool with a defect of its own.</summary>
    [McpServerTool(Name = "forgetful_bug_run", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Fails inside.")]
    public static string Bug() => throw new ArgumentException("an internal value was out of range", "internalValue");
}

/// <summary>A plugin whose tool lacks the annotations; its first-start instance is off.</summary>
public sealed class BrokenPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("broken", "Broken", "A plugin with an unannotated tool.", "?", "0.0.1");

    /// <inheritdoc />
    public override bool DefaultInstanceEnabled(IServiceProvider services) => false;

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<BrokenTools>();

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) => Task.FromResult(HealthReport.Healthy("ok"));

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) => Task.FromResult(new StatusSummary("ok"));
}

/// <summary>A tool without its four annotations.</summary>
public sealed class BrokenTools
{
    /// <summary>Unannotated.</summary>
    [McpServerTool(Name = "broken_thing_get")]
    [Description("Gets a thing.")]
    public static string Get() => "thing";
}
