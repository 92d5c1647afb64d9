using McpCloudTools.Aws;
using System.Text.Json.Serialization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;
using McpCloudTools.Plugins.Batch.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Batch;

/// <summary>
/// AWS Batch for HPC work: compute environments (registered as the plugin's clusters, with the queues that use them),
/// job queues, job definitions, and jobs from submission to logs, diagnosis and waiting.
/// </summary>
public sealed class BatchPlugin : PluginBase
{
    /// <summary>The plugin type and tool-name prefix.</summary>
    public const string Type = "batch";

    /// <inheritdoc />
    public override PluginInfo Info { get; } = new(Type, "AWS Batch",
        "HPC batch jobs on AWS Batch: compute environments (the clusters), job queues, job definitions, and jobs from submit to logs, " +
        "diagnosis of failed or stuck jobs, and waiting. Not for ECS services, EKS pods or Lambda functions.", "🧮", "1.0.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => AwsSettings.ConfigKeys;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => AwsSettings.ParseValid(config);

    /// <inheritdoc />
    public override JsonSerializerContext JsonContext => BatchJsonContext.Default;

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<BatchTargets>();
        services.AddSingleton<BatchInstanceService>();
        services.AddSingleton<ResourceService>();
        services.AddSingleton<JobListService>();
        services.AddSingleton<JobService>();
        services.AddSingleton<SubmitService>();
        services.AddSingleton<JobLogService>();
        services.AddSingleton<DiagnoseService>();
        services.AddSingleton<JobWaiter>();
    }

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) =>
    [
        .. tools.From<ComputeEnvironmentTools>(), .. tools.From<JobQueueTools>(), .. tools.From<JobDefinitionTools>(),
        .. tools.From<JobTools>(), .. tools.From<JobControlTools>(),
    ];

    /// <inheritdoc />
    public override IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => prompts.From<Prompts.BatchPrompts>();

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
        [new("jobs/{job_id}", "job", "A Batch job: status and reason, attempts, exit codes, container and log stream (batch_job_describe).", "batch_job_describe")];

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken) => Instance(context).CompleteAsync(context, argument, chosen, cancellationToken);

    /// <inheritdoc />
    public override Task InitializeAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).DiscoverAsync(context, cancellationToken);

    /// <inheritdoc />
    public override ArgumentRule? ClusterNameRule(ClusterInfo cluster) => BatchNames.ComputeEnvironment;

    /// <inheritdoc />
    public override string ActivationNote(ClusterInfo cluster) => BatchTargets.QueuesOf(cluster) switch
    {
        [] => $"Batch tools take no cluster_id, and compute environment {cluster.Name} is attached to no job queue, so batch_job_list " +
              "and batch_job_submit without queue ask for one (pass queue, or activate another Batch cluster).",
        var queues => $"Batch tools take no cluster_id; with it active, batch_job_list without queue covers its queues ({string.Join(", ", queues)}) " +
                       $"and batch_job_submit without queue submits to {queues[0]}. Job ids, named queues and the environment, queue and definition lists are not limited to it.",
    };

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).HealthAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).SummaryAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<IReadOnlyList<PluginResource>> GetResourcesAsync(PluginContext context, CancellationToken cancellationToken) =>
        Instance(context).ResourcesAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken) =>
        Instance(context).ReadAsync(context, uri, cancellationToken);

    private static BatchInstanceService Instance(PluginContext context) => context.Services.GetRequiredService<BatchInstanceService>();
}
