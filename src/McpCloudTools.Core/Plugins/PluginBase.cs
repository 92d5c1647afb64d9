using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// A plugin type: its metadata, its config (keys, typed settings), the services it registers, its tools, and the
/// per-instance operations of the design (initialize, health check, resources, status summary). One object per type;
/// per-instance objects (clients, connections) live in the <see cref="InstanceServiceCache"/>, per instance and config
/// version. Register it in one line with <c>services.AddPlugin&lt;T&gt;()</c>.
/// </summary>
public abstract class PluginBase
{
    /// <summary>Type, name, description, icon and version.</summary>
    public abstract PluginInfo Info { get; }

    /// <summary>
    /// Config keys the plugin understands (shown by the API; unknown keys are rejected; secret ones are redacted wherever
    /// config is shown). AWS plugins start from <c>AwsSettings.ConfigKeys</c>.
    /// </summary>
    public virtual IReadOnlyList<PluginConfigKey> ConfigKeys => [];

    /// <summary>The source-generated JSON context for the plugin's tool parameter and result types, if any.</summary>
    public virtual JsonSerializerContext? JsonContext => null;

    /// <summary>
    /// Whether the instance a plugin type gets on first start is enabled. AWS plugins work with the default
    /// credential chain; a plugin that needs an address first (Slurm) starts disabled unless it can run without one
    /// (e.g. against the sandbox).
    /// </summary>
    public virtual bool DefaultInstanceEnabled(IServiceProvider services) => true;

    /// <summary>
    /// Parses an instance's config into the typed settings the plugin reads (<see cref="PluginContext.Settings{T}"/>),
    /// recording every bad value in <paramref name="config"/> (<see cref="ConfigReader.Problem(string, string, string)"/>)
    /// and ending with <see cref="ConfigReader.ThrowIfInvalid"/>. It runs when an instance is created or its config
    /// replaced, so a bad region, ARN, URL or file is refused at once; and again on first use after a restart (a file
    /// may have gone since). Unknown keys are refused before it runs. The default keeps the raw values.
    /// </summary>
    public virtual object ParseSettings(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Values;
    }

    /// <summary>Registers the plugin's services. Runs once while the host is built.</summary>
    public virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>The plugin's MCP tools, usually <c>tools.From&lt;PodTools&gt;()</c> per tool class.</summary>
    public abstract IEnumerable<McpServerTool> GetTools(PluginToolFactory tools);

    /// <summary>
    /// The plugin's MCP prompts (troubleshooting playbooks that use its tools), usually <c>prompts.From&lt;EksPrompts&gt;()</c>;
    /// advertised, like its tools, while one of its instances is enabled. None by default.
    /// </summary>
    public virtual IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => [];

    /// <summary>
    /// The plugin's MCP resource templates (URIs over its read-only tools), advertised while one of its instances is
    /// enabled. None by default.
    /// </summary>
    public virtual IReadOnlyList<PluginResourceTemplate> ResourceTemplates => [];

    /// <summary>
    /// Completions for a prompt or resource-template argument named <paramref name="argument"/> (<c>pod</c>,
    /// <c>job_id</c>…) from the instance's live data, given the other arguments already chosen; null for an argument the
    /// plugin does not complete. The core filters by prefix, bounds and caches the answer per instance (see
    /// <see cref="Mcp.Completions"/>), and completes <c>instance</c> and <c>cluster_id</c> itself.
    /// </summary>
    public virtual Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>
    /// Prepares an instance (e.g. discovers and registers clusters). Runs lazily on the instance's first use and again
    /// after its config changes, never on the path to <c>tools/list</c>.
    /// </summary>
    public virtual Task InitializeAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A cheap call that proves the instance can reach its service.</summary>
    public abstract Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken);

    /// <summary>Resources served through MCP <c>resources/list</c>.</summary>
    public virtual Task<IReadOnlyList<PluginResource>> GetResourcesAsync(PluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PluginResource>>([]);

    /// <summary>Reads one of the instance's resources, or returns null when the URI is not one of them.</summary>
    public virtual Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>
    /// The rule a hand-registered cluster's name must follow (the name reaches the service's URLs), or null to take any;
    /// <see cref="Registry.ClusterRegistry.RegisterAsync"/> refuses a name that breaks it.
    /// </summary>
    public virtual Validation.ArgumentRule? ClusterNameRule(Registry.ClusterInfo cluster) => null;

    /// <summary>
    /// What making <paramref name="cluster"/> the active cluster changes for the plugin's tools, said by
    /// <c>cluster_activate</c> after it; a plugin whose tools take no <c>cluster_id</c> says what they do instead.
    /// </summary>
    public virtual string ActivationNote(Registry.ClusterInfo cluster) => $"{Info.Type} tools use it when called without cluster_id.";

    /// <summary>A one-line status with counts, for <c>GET /api/status</c> and <c>plugins_list</c>.</summary>
    public abstract Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken);
}

/// <summary>A config key a plugin understands.</summary>
/// <param name="Name">Key (<c>region</c>).</param>
/// <param name="Description">What it does.</param>
/// <param name="Secret">
/// Its value is a secret (<c>external_id</c>): redacted wherever config is shown (REST API, <c>plugins_list</c>)
/// unless <c>--allow-sensitive-data</c>. See <see cref="Safety.ConfigSecrets"/>.
/// </param>
public sealed record PluginConfigKey(string Name, string Description, bool Secret = false);
