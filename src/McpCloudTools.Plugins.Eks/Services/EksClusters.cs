using k8s;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Eks.Client;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>
/// Which clusters an eks instance serves: the EKS clusters of its account and region (<c>eks:&lt;name&gt;</c>) and,
/// when the operator lists them, contexts of a kubeconfig file (<c>kube:&lt;context&gt;</c>).
/// </summary>
public static class EksClusters
{
    /// <summary>Cluster config key: <c>eks</c> or <c>kubeconfig</c>.</summary>
    public const string KindKey = "kind";

    /// <summary>Cluster config key: the kubeconfig file of a context cluster.</summary>
    public const string KubeconfigKey = "kubeconfig";

    /// <summary>Cluster config key: the context name.</summary>
    public const string ContextKey = "context";

    /// <summary>
    /// Cluster config key: the API server endpoint of an EKS cluster, as DescribeCluster last gave it (or as
    /// registered), so that the cluster keeps working while the EKS API does not answer.
    /// </summary>
    public const string EndpointKey = "endpoint";

    /// <summary>Cluster config key: the cluster's CA (base64 PEM, DescribeCluster's <c>certificateAuthority.data</c>).</summary>
    public const string CertificateAuthorityKey = "certificate_authority";


    /// <summary>True for a kubeconfig context.</summary>
    public static bool IsKubeconfig(ClusterInfo cluster) => cluster?.Get(KindKey) == "kubeconfig";

    /// <summary>Refuses a kubeconfig context for a tool that needs the EKS API.</summary>
    public static void RequireEks(ClusterInfo cluster, string tool)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (IsKubeconfig(cluster))
            throw new ToolException($"{tool} needs the EKS API, and '{cluster.Id}' is a kubeconfig context, not an EKS cluster. "
                + "Pass an eks:<name> cluster_id (clusters_list shows them); the in-cluster tools (eks_pod_list, eks_node_list, …) work on both.");
    }

    /// <summary>Discovers the instance's clusters: ListClusters + DescribeCluster each, then the configured kubeconfig contexts.</summary>
    public static async Task<IReadOnlyList<ClusterInfo>> DiscoverAsync(PluginContext context, EksClients eks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(eks);
        var instance = context.Instance;
        var clusters = new List<ClusterInfo>();
        var contexts = await KubeconfigContextsAsync(instance, context.Settings<EksSettings>(), cancellationToken).ConfigureAwait(false);
        try
        {
            var client = eks.For(context);
            var region = eks.Context(context).Region.SystemName;
            var names = await client.AllClustersAsync(cancellationToken).ConfigureAwait(false);
            using var throttle = new SemaphoreSlim(4);
            var described = await Task.WhenAll(names.Select(async name =>
            {
                await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return (await client.DescribeClusterAsync(new DescribeClusterRequest { Name = name }, cancellationToken).ConfigureAwait(false)).Cluster;
                }
                finally
                {
                    throttle.Release();
                }
            })).ConfigureAwait(false);
            foreach (var c in described.OfType<Cluster>())
            {
                var arn = c.Arn ?? "";
                var account = arn.Split(':') is { Length: > 4 } parts ? parts[4] : "";
                clusters.Add(new ClusterInfo(ClusterId(instance.Id, c.Name!), c.Name!, region, "eks", instance.Id,
                    new Dictionary<string, string>
                    {
                        [KindKey] = "eks", ["arn"] = arn, ["account"] = account, ["version"] = c.Version ?? "",
                        [EndpointKey] = c.Endpoint ?? "", [CertificateAuthorityKey] = c.CertificateAuthority?.Data ?? "",
                    },
                    ClusterSource.Discovered));
            }
        }
        catch (Exception) when (contexts.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            // The kubeconfig contexts still work without the EKS API (e.g. no AWS credentials on this machine).
        }
        clusters.AddRange(contexts);
        return clusters;
    }

    /// <summary><c>eks:&lt;name&gt;</c> for the default instance, <c>eks:&lt;instance&gt;/&lt;name&gt;</c> for others, so accounts do not collide.</summary>
    public static string ClusterId(string instanceId, string name) => instanceId == "eks" ? $"eks:{name}" : $"eks:{instanceId}/{name}";

    /// <summary>
    /// The configured kubeconfig contexts (checked when the config was stored), read from the file as it is now: one that
    /// has gone since is refused with what the file has.
    /// </summary>
    private static async Task<List<ClusterInfo>> KubeconfigContextsAsync(PluginInstance instance, EksSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Contexts.Count == 0 || settings.Kubeconfig is not { } path) return [];
        if (!File.Exists(path))
            throw new ToolException($"The kubeconfig {path} of the eks instance '{instance.Id}' no longer exists. Restore it, or point kubeconfig at the file's new path.");
        var config = await KubernetesClientConfiguration.LoadKubeConfigAsync(new FileInfo(path)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var available = config.Contexts?.Select(c => c.Name).ToList() ?? [];
        var names = settings.Contexts;
        var missing = names.Except(available).ToList();
        if (missing.Count > 0)
            throw new ToolException($"kubeconfig {path} no longer has context {string.Join(", ", missing)}; it has: {string.Join(", ", available)}. Fix kubeconfig_contexts.");
        return [.. names.Select(name =>
        {
            var details = config.Contexts!.First(c => c.Name == name).ContextDetails;
            var server = config.Clusters?.FirstOrDefault(c => c.Name == details?.Cluster)?.ClusterEndpoint?.Server ?? "";
            return new ClusterInfo($"kube:{name}", name, "", "eks", instance.Id, new Dictionary<string, string>
            {
                [KindKey] = "kubeconfig", [KubeconfigKey] = path, [ContextKey] = name, ["server"] = server,
            }, ClusterSource.Discovered);
        })];
    }
}
