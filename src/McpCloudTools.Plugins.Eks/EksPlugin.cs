using McpCloudTools.Aws;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Eks.Client;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Plugins.Eks.Services;
using McpCloudTools.Plugins.Eks.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks;

/// <summary>
/// Amazon EKS: clusters, node groups and add-ons through the EKS API, and the workloads inside any cluster (EKS
/// clusters with EKS token auth, or operator-chosen kubeconfig contexts) through the Kubernetes API.
/// </summary>
public sealed class EksPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("eks", "Amazon EKS",
        "EKS clusters, node groups and add-ons, and what runs inside them (pods, logs, events, deployments, nodes): "
        + "finds what is broken in a cluster. Also serves kubeconfig contexts. Not for creating clusters or applying manifests.",
        "☸️", "1.0.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => EksSettings.ConfigKeys;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => EksSettings.Parse(config);

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new EksOptions());
        services.AddSingleton<EksClients>();
        services.AddSingleton<KubeConnections>();
        services.AddSingleton<EksApiService>();
        services.AddSingleton<PodListService>();
        services.AddSingleton<PodDetailService>();
        services.AddSingleton<WorkloadService>();
        services.AddSingleton<CompletionService>();
    }

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) =>
    [
        .. tools.From<ClusterTools>(), .. tools.From<NodegroupTools>(), .. tools.From<AddonTools>(),
        .. tools.From<NamespaceTools>(), .. tools.From<PodTools>(), .. tools.From<EventTools>(),
        .. tools.From<DeploymentTools>(), .. tools.From<NodeTools>(),
    ];

    /// <inheritdoc />
    public override IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => prompts.From<Prompts.EksPrompts>();

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
    [
        new("clusters/{cluster_id}", "cluster", "An EKS cluster: status, version, endpoint and access (eks_cluster_describe).", "eks_cluster_describe"),
        new("clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}", "pod",
            "A pod: phase, containers, restarts, exit codes and events (eks_pod_describe).", "eks_pod_describe"),
    ];

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Services.GetRequiredService<CompletionService>().CompleteAsync(argument, chosen, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task InitializeAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.Services.GetRequiredService<EksClients>();
        var clusters = await EksClusters.DiscoverAsync(context, eks, cancellationToken).ConfigureAwait(false);
        await context.Clusters.SetDiscoveredClustersAsync(context.Instance.Id, clusters, cancellationToken).ConfigureAwait(false);
        // Only after a discovery that worked: during an EKS outage the connections already made keep serving.
        context.Services.GetRequiredService<KubeConnections>().Forget(context.Instance.Id);
    }

    /// <inheritdoc />
    public override ArgumentRule? ClusterNameRule(ClusterInfo cluster) => EksClusters.IsKubeconfig(cluster) ? null : EksNames.Cluster;

    /// <inheritdoc />
    public override async Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.Services.GetRequiredService<EksClients>();
        try
        {
            var page = await eks.For(context).ListClustersAsync(new ListClustersRequest { MaxResults = 100 }, cancellationToken).ConfigureAwait(false);
            return HealthReport.Healthy($"EKS reachable in {eks.Context(context).Region.SystemName}: {page.Clusters.Count}{(page.NextToken is null ? "" : "+")} clusters");
        }
        catch (Core.ToolException e)
        {
            return HealthReport.Unhealthy(e.Message);
        }
    }

    /// <inheritdoc />
    public override async Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.Services.GetRequiredService<EksClients>();
        var names = await eks.For(context).AllClustersAsync(cancellationToken).ConfigureAwait(false);
        return new StatusSummary($"{names.Count} EKS clusters in {eks.Context(context).Region.SystemName}",
            new Dictionary<string, long> { ["clusters"] = names.Count });
    }
}
