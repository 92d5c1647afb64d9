using System.ComponentModel;
using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Testing;

/// <summary>A small plugin that proves the frame: read, write, destructive and sensitive tools, resources, discovery.</summary>
public sealed class TestPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("test", "Test service", "A fake service for the frame's tests.", "🧪", "1.2.3");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys { get; } = [new("region", "Region"), new("items", "How many items the fake service has")];

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TestService>();

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<TestTools>();

    /// <inheritdoc />
    public override Task InitializeAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var service = context.Services.GetRequiredService<TestService>();
        service.Initializations.AddOrUpdate(context.Instance.Id, 1, (_, n) => n + 1);
        var region = context.Instance.Get("region") ?? "us-east-1";
        if (region == "unreachable")
        {
            throw new ToolException("Region 'unreachable' does not answer (discovery).");
        }

        return context.Clusters.SetDiscoveredClustersAsync(context.Instance.Id,
        [
            new ClusterInfo($"test:alpha-{context.Instance.Id}", "alpha", region, "test", null, new Dictionary<string, string> { ["queue"] = "q1" }),
            new ClusterInfo($"test:beta-{context.Instance.Id}", "beta", region, "test", null, new Dictionary<string, string>()),
        ], cancellationToken);
    }

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.Instance.Get("region") == "broken"
            ? HealthReport.Unhealthy("Region 'broken' does not answer; set another region.")
            : HealthReport.Healthy($"reachable in {context.Instance.Get("region") ?? "us-east-1"}"));

    /// <inheritdoc />
    public override Task<IReadOnlyList<PluginResource>> GetResourcesAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PluginResource>>([new($"test://{context.Instance.Id}/items/1", "item 1", "The first item")]);

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
        [new("clusters/{cluster_id}", "cluster", "Which cluster a call lands on (test_cluster_get).", "test_cluster_get")];

    /// <inheritdoc />
    public override Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken) =>
        Task.FromResult(uri == $"test://{context.Instance.Id}/items/1" ? $"item 1 of {context.Instance.Id}; key={Redactor.Sensitive("hunter2")}" : null);

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new StatusSummary("3 items, 1 broken", new Dictionary<string, long> { ["broken"] = 1, ["ok"] = 2 }));
}

/// <summary>The fake service's state.</summary>
public sealed class TestService
{
    /// <summary>Initialisations per instance.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Initializations { get; } = new();

    /// <summary>Items deleted so far.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Deleted { get; } = [];
}

/// <summary>The test plugin's tools.</summary>
public sealed class TestTools(PluginRouter<TestPlugin> router, TestService service)
{
    /// <summary>Lists items.</summary>
    [McpServerTool(Name = "test_item_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Items of the fake service; broken ones first.")]
    public async Task<string> List(
        [Description("Plugin instance id")] string? instance = null,
        [Description(Paging.LimitDescription)] int? limit = null,
        [Description(Paging.CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var ctx = await router.InstanceAsync(instance, cancellationToken);
        var page = Paging.Read(limit, cursor, defaultLimit: 10, max: 100);
        var count = int.Parse(ctx.Instance.Get("items") ?? "25", CultureInfo.InvariantCulture);
        var all = Enumerable.Range(1, count).Select(i => (Id: $"item-{i}", Broken: i % 7 == 0)).OrderByDescending(x => x.Broken).ToList();
        var (items, next) = Paging.Slice(all, page, $"test_item_list|{ctx.Instance.Id}");
        var table = new TextTable("id", "state");
        foreach (var (id, broken) in items)
        {
            table.Row(id, broken ? "broken" : "ok");
        }

        return new ToolOutput().Line($"items: {all.Count} (broken {all.Count(x => x.Broken)}) on {ctx.Instance.Id}")
            .Table(table).Page(items.Count, all.Count, next, page).ToString();
    }

    /// <summary>Updates an item.</summary>
    [McpServerTool(Name = "test_item_update", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Update an item.")]
    public static string Update([Description("Item id")] string id) => $"updated {id}";

    /// <summary>Deletes an item.</summary>
    [McpServerTool(Name = "test_item_delete", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description("Delete an item.")]
    public string Delete([Description("Item id")] string id)
    {
        service.Deleted.Add(id);
        return $"deleted {id}";
    }

    /// <summary>Returns a secret.</summary>
    [McpServerTool(Name = "test_secret_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("A secret and a presigned URL.")]
    public static string Secret() =>
        $"password={Redactor.Sensitive("s3cr3t-value")}\nurl=https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abcdef\nplain=visible";

    /// <summary>Fails.</summary>
    [McpServerTool(Name = "test_fail_run", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Fails the way it is told.")]
    public static string Fail([Description("tool | bug | stall")] string how) => how switch
    {
        "tool" => throw new ToolException("The thing 'x' was not found in us-east-1. Try test_item_list."),
        // An internal wait with its own timeout (a shared initialisation, a connection build) gave up.
        "stall" => throw new TaskCanceledException("A task was canceled."),
        _ => throw new InvalidOperationException("internal detail that must not leak: /home/secret/path"),
    };

    /// <summary>Acts on a cluster.</summary>
    [McpServerTool(Name = "test_cluster_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Which cluster a cluster-scoped call lands on.")]
    public async Task<string> Cluster([Description("Cluster id; default: the active cluster")] string? cluster_id = null, CancellationToken cancellationToken = default)
    {
        var target = await router.ClusterAsync(cluster_id, cancellationToken);
        return $"cluster {target.Cluster.Id} via {target.Plugin.Instance.Id}";
    }
}

/// <summary>A second plugin type, so tests can tell types apart.</summary>
public sealed class OtherPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("other", "Other service", "Another fake service.", "🔧", "0.9.0");

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<OtherTools>();

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(HealthReport.Healthy("fine"));

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new StatusSummary("fine"));
}

/// <summary>The other plugin's tool.</summary>
public sealed class OtherTools
{
    /// <summary>Pings.</summary>
    [McpServerTool(Name = "other_thing_ping", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Answers pong.")]
    public static string Ping() => "pong";
}
