using System.ComponentModel;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// The management tools, always advertised (read-only mode too) so stdio agents can do what the REST API does:
/// see plugins, switch them on and off, see clusters and pick the active one.
/// </summary>
public sealed class ManagementTools(InstanceRegistry instances, ClusterRegistry clusters, ActiveClusters activeClusters, HealthCache health,
    ToolAdvertiser advertiser, ToolCatalog catalog, PluginRouter router, SafetyOptions safety, TimeProvider time)
{
    /// <summary>Lists plugin instances.</summary>
    [McpServerTool(Name = "plugins_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Plugin instances (one per AWS account/region/role; tools take one as `instance`, default the first enabled): state, health, tool count; the safety mode.")]
    public async Task<string> PluginsList(
        [Description("Run each enabled instance's health check (calls AWS)")] bool check_health = false,
        CancellationToken cancellationToken = default)
    {
        if (check_health)
        {
            await Task.WhenAll(instances.All.Where(i => i.Enabled && catalog.FindPlugin(i.Type) is not null)
                .Select(i => HealthChecks.RunAsync(catalog, router, health, i, cancellationToken))).ConfigureAwait(false);
        }

        var all = instances.All;
        var output = new ToolOutput()
            .Line($"instances: {all.Count} ({all.Count(i => i.Enabled)} enabled); mode: " +
                  (safety.AllowWrite ? "read-write" : "read-only") + (safety.AllowSensitiveData ? ", sensitive data shown" : ", sensitive data redacted"));
        var table = new TextTable("id", "type", "on", "health", "tools", "from", "config");
        foreach (var i in all)
        {
            var tools = catalog.ToolsOf(i.Type).Count(t => safety.Permits(t.Access));
            var last = health.Last(i.Id) is { } h ? $"{h.Status.ToString().ToLowerInvariant()}" : "unchecked";
            table.Row(i.Id, i.Type, i.Enabled ? "yes" : "no", catalog.FindPlugin(i.Type) is null ? "type missing" : last,
                tools.ToString(System.Globalization.CultureInfo.InvariantCulture), i.DeclaredAt is null ? "stored" : "declared",
                string.Join(" ", i.Config.Select(kv => $"{kv.Key}={ConfigSecrets.Mark(catalog.FindPlugin(i.Type), kv.Key, kv.Value)}")));
        }

        output.Table(table);
        var problems = all.Select(i => (i, h: health.Last(i.Id))).Where(x => x.h is { Status: not HealthStatus.Healthy }).ToList();
        foreach (var (i, h) in problems)
        {
            output.Line($"{i.Id}: {h!.Message}");
        }

        return output.Line("types: " + string.Join("; ", catalog.Plugins.Select(p => $"{p.Info.Type} {p.Info.Version} ({p.Info.Name})"))).ToString();
    }

    /// <summary>Enables an instance.</summary>
    [RequiresGrant(Grants.Admin)]
    [McpServerTool(Name = "plugin_enable", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Enable a plugin instance; its type's tools become available (clients are notified).")]
    public Task<string> PluginEnable([Description("Instance id, or a type with one instance")] string id, CancellationToken cancellationToken = default) =>
        ToggleAsync(id, true, cancellationToken);

    /// <summary>Disables an instance.</summary>
    [RequiresGrant(Grants.Admin)]
    [McpServerTool(Name = "plugin_disable", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Disable a plugin instance; its type's tools disappear when no instance of the type is enabled.")]
    public Task<string> PluginDisable([Description("Instance id, or a type with one instance")] string id, CancellationToken cancellationToken = default) =>
        ToggleAsync(id, false, cancellationToken);

    /// <summary>Lists clusters.</summary>
    [McpServerTool(Name = "clusters_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Clusters cluster-scoped tools can target (EKS clusters, kubeconfig contexts, Batch compute environments), discovering them first; * marks the active one.")]
    public async Task<string> ClustersList(
        [Description("Only this plugin type (eks, batch)")] string? plugin_type = null,
        [Description("Discover again even if known")] bool refresh = false,
        CancellationToken cancellationToken = default)
    {
        var failures = await router.InitializeAllAsync(string.IsNullOrWhiteSpace(plugin_type) ? null : plugin_type.Trim(), refresh, cancellationToken)
            .ConfigureAwait(false);
        var active = activeClusters.Get(CallerKey.Current);
        var shown = clusters.All.Where(c => string.IsNullOrWhiteSpace(plugin_type) || c.PluginType == plugin_type.Trim()).ToList();
        var output = new ToolOutput().Line($"clusters: {shown.Count}; active: {active?.Id ?? "none (cluster_activate sets one)"}");
        var table = new TextTable("", "id", "type", "region", "instance", "source");
        foreach (var c in shown)
        {
            table.Row(c.Id == active?.Id ? "*" : "", c.Id, c.PluginType, c.Region, c.InstanceId, c.Source == ClusterSource.Discovered ? "found" : c.SourceName);
        }

        output.Table(table);
        foreach (var (id, error) in failures)
        {
            output.Line($"{id}: discovery failed: {error}");
        }

        return output.ToString();
    }

    /// <summary>Activates a cluster.</summary>
    [McpServerTool(Name = "cluster_activate", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Make a cluster the default target of cluster-scoped tools called without cluster_id.")]
    public async Task<string> ClusterActivate([Description("Cluster id from clusters_list")] string cluster_id, CancellationToken cancellationToken = default)
    {
        if (clusters.Find(cluster_id) is null)
        {
            await router.InitializeAllAsync(null, refresh: false, cancellationToken).ConfigureAwait(false);
        }

        ClusterInfo c;
        try
        {
            c = await activeClusters.ActivateAsync(CallerKey.Current, cluster_id, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
        {
            throw new RegistryException(e.Kind, $"cluster_id: {e.Message}", e.Remedy);
        }
        var note = catalog.FindPlugin(c.PluginType)?.ActivationNote(c) ?? $"{c.PluginType} tools use it when called without cluster_id.";
        return $"Active cluster: {c.Id} ({c.PluginType}{(c.Region.Length > 0 ? ", " + c.Region : "")}). {note}";
    }

    private async Task<string> ToggleAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        PluginInstance instance;
        try
        {
            instance = await instances.SetEnabledAsync(id, enabled, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
        {
            throw new RegistryException(e.Kind, $"id: {e.Message}", e.Remedy);
        }
        var advertised = advertiser.Tools.Count(t => t.ProtocolTool.Name.StartsWith(instance.Type + "_", StringComparison.Ordinal));
        return $"{(enabled ? "Enabled" : "Disabled")} {instance.Id} ({instance.Type}). {instance.Type} tools advertised: {advertised}" +
               (advertised == 0 && enabled ? " (write tools need --allow-write)" : "") + $"; at {Fmt.Time(time.GetUtcNow())}.";
    }
}
