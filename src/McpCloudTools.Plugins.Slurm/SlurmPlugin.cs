using System.Text.Json.Serialization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Services;
using McpCloudTools.Plugins.Slurm.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Slurm;

/// <summary>
/// HPC on Slurm through slurmrestd (AWS ParallelCluster, on-premises clusters): partitions, nodes, the queue, and
/// jobs from submission to diagnosis. Each instance is one cluster, registered as <c>slurm:&lt;name&gt;</c>.
/// </summary>
public sealed class SlurmPlugin : PluginBase
{
    /// <summary>The plugin type and tool-name prefix.</summary>
    public const string Type = "slurm";

    /// <inheritdoc />
    public override PluginInfo Info { get; } = new(Type, "Slurm",
        "HPC on Slurm via slurmrestd (AWS ParallelCluster, on-premises): partitions, nodes, the queue with pending reasons, jobs from submit to " +
        "diagnosis of pending or failed ones, and waiting. Not for AWS Batch jobs or EKS pods.", "🖧", "1.0.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => SlurmSettings.Keys;

    /// <inheritdoc />
    public override JsonSerializerContext JsonContext => SlurmJsonContext.Default;

    /// <summary>Off until configured with a url, except against the sandbox, which needs no config.</summary>
    public override bool DefaultInstanceEnabled(IServiceProvider services) => services.GetService<SandboxTarget>() is not null;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => SlurmSettings.Parse(config);

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<SlurmConnections>();
        services.AddSingleton<SlurmTargets>();
        services.AddSingleton<SlurmInstanceService>();
        services.AddSingleton<ClusterService>();
        services.AddSingleton<JobListService>();
        services.AddSingleton<JobService>();
        services.AddSingleton<SubmitService>();
        services.AddSingleton<JobWaiter>();
    }

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) =>
        [.. tools.From<ClusterTools>(), .. tools.From<JobTools>(), .. tools.From<JobControlTools>()];

    /// <inheritdoc />
    public override IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => prompts.From<Prompts.SlurmPrompts>();

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
        [new("clusters/{cluster_id}/jobs/{job_id}", "job", "A Slurm job: state and reason, partition, nodes, times, exit code (slurm_job_describe).", "slurm_job_describe")];

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken) => Instance(context).CompleteAsync(context, argument, cancellationToken);

    /// <inheritdoc />
    public override Task InitializeAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).DiscoverAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).HealthAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).SummaryAsync(context, cancellationToken);

    private static SlurmInstanceService Instance(PluginContext context) => context.Services.GetRequiredService<SlurmInstanceService>();
}
