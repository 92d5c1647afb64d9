using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Eks.Client;
using McpCloudTools.Plugins.Eks.Services;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>A ready Kubernetes client for one cluster.</summary>
/// <param name="Api">The client, through the one facade that checks names.</param>
/// <param name="Cluster">The cluster it talks to.</param>
/// <param name="Server">The API server URL, for messages.</param>
/// <param name="Tokens">The EKS token provider (null for kubeconfig contexts, which authenticate their own way).</param>
public sealed record KubeConnection(KubeApi Api, ClusterInfo Cluster, string Server, EksTokenProvider? Tokens) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Api.Dispose();
        Tokens?.Dispose();
    }
}

/// <summary>
/// Builds one Kubernetes client per instance, config version and cluster, kept in the Core per-instance cache: for an
/// EKS cluster from DescribeCluster (endpoint, CA, TLS verified against that CA, EKS token with a retry on 401); for
/// a kubeconfig context through KubernetesClient's kubeconfig loading (exec plugins included) from the operator's file
/// only. A failed build is not kept.
/// </summary>
public sealed class KubeConnections(EksClients eks, InstanceServiceCache cache, TimeProvider time, EksOptions options)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long DescribeCluster may take when the cluster's endpoint and CA are already known.</summary>
    private static readonly TimeSpan KnownClusterDescribeBudget = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one request to a Kubernetes API server.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Instance, string Cluster), (string Endpoint, string Ca)> _lastKnown = new();

    /// <summary>The connection of a tool's target cluster.</summary>
    public Task<KubeConnection> GetAsync(ClusterTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return cache.GetAsync(target.Plugin.Instance, target.Cluster.Id, _ => BuildAsync(target),
            $"the connection to {target.Cluster.Id} (DescribeCluster for its endpoint and CA)", cancellationToken);
    }

    /// <summary>Drops an instance's connections (a rediscovery may have changed its clusters' endpoints); calls build new ones.</summary>
    public void Forget(string instanceId) => cache.Evict<KubeConnection>(instanceId);

    private async Task<KubeConnection> BuildAsync(ClusterTarget target)
    {
        // Not the caller's token nor its deadline: other calls may wait on the same build.
        using var timeout = new CancellationTokenSource(BuildTimeout);
        using var shared = Core.Mcp.CallDeadline.Suspend();
        try
        {
            return EksClusters.IsKubeconfig(target.Cluster)
                ? await FromKubeconfigAsync(target.Cluster).ConfigureAwait(false)
                : await FromEksAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new ToolException($"Connecting to {target.Cluster.Id} did not finish within {BuildTimeout.TotalSeconds:0} s (EKS DescribeCluster "
                + "for its endpoint and CA did not answer). Retry; if it persists, check that the EKS endpoint answers (plugins_list check_health=true).", e);
        }
    }

    private async Task<KubeConnection> FromEksAsync(ClusterTarget target, CancellationToken cancellationToken)
    {
        var aws = eks.Context(target.Plugin);
        var known = LastKnown(target);
        using var describe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (known is not null)
        {
            // With a fallback at hand, a slow control plane is not worth waiting for.
            describe.CancelAfter(KnownClusterDescribeBudget);
        }

        string endpoint, caData;
        try
        {
            var described = (await eks.For(target.Plugin).DescribeClusterAsync(new DescribeClusterRequest { Name = target.Cluster.Name },
                describe.Token).ConfigureAwait(false)).Cluster;
            if (described?.Endpoint is not { Length: > 0 } e || described.CertificateAuthority?.Data is not { Length: > 0 } ca)
                throw new ToolException($"Cluster '{target.Cluster.Name}' has no API endpoint or CA yet (status {described?.Status ?? "unknown"}). "
                    + "Wait until eks_cluster_describe shows it ACTIVE.");
            (endpoint, caData) = (e, ca);
            _lastKnown[(target.Plugin.Instance.Id, target.Cluster.Id)] = (endpoint, caData);
        }
        catch (Exception e) when (known is { } last && !cancellationToken.IsCancellationRequested
                                  && (e is AwsServiceException { Kind: AwsErrorKind.Unavailable or AwsErrorKind.Throttled } || e is OperationCanceledException))
        {
            // The EKS control plane fails or is too slow, which says nothing about the cluster's own API server:
            // connect with the endpoint and CA it had (TLS is still verified against that CA, so a wrong endpoint
            // cannot pass).
            (endpoint, caData) = last;
        }

        var tokens = new EksTokenProvider(aws, target.Cluster.Name, time, options);
        var config = new KubernetesClientConfiguration
        {
            Host = endpoint,
            SslCaCerts = ReadCa(caData, target.Cluster.Name),
            TokenProvider = tokens,
            HttpClientTimeout = RequestTimeout,
        };
        var client = new KubeTransport(config, new KubePathGuard(new Uri(endpoint)), new KubeTelemetryHandler(new Uri(endpoint)), new UnauthorizedRetryHandler(tokens));
        return new KubeConnection(new KubeApi(client), target.Cluster, endpoint, tokens);
    }

    /// <summary>The endpoint and CA last seen for a cluster: from this process's DescribeCluster, else from its record.</summary>
    private (string Endpoint, string Ca)? LastKnown(ClusterTarget target) =>
        _lastKnown.TryGetValue((target.Plugin.Instance.Id, target.Cluster.Id), out var seen) ? seen
        : target.Cluster.Get(EksClusters.EndpointKey) is { Length: > 0 } endpoint && target.Cluster.Get(EksClusters.CertificateAuthorityKey) is { Length: > 0 } ca
            ? (endpoint, ca)
            : null;

    private static async Task<KubeConnection> FromKubeconfigAsync(ClusterInfo cluster)
    {
        var path = cluster.Get(EksClusters.KubeconfigKey) ?? throw new ToolException($"Cluster '{cluster.Id}' names no kubeconfig file.");
        var context = cluster.Get(EksClusters.ContextKey) ?? cluster.Name;
        KubernetesClientConfiguration config;
        try
        {
            // Runs the context's exec plugin if it has one: allowed only because the operator configured this file.
            config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(new FileInfo(path), context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new ToolException($"Could not load context '{context}' from kubeconfig {path}: {e.Message}. "
                + "Check the file (kubectl --kubeconfig <file> config get-contexts) and the eks instance's kubeconfig settings.", e);
        }
        config.HttpClientTimeout = RequestTimeout;
        return new KubeConnection(new KubeApi(new KubeTransport(config, new KubePathGuard(new Uri(config.Host)))), cluster, config.Host, null);
    }

    private static X509Certificate2Collection ReadCa(string data, string cluster)
    {
        try
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(data));
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            return certificates.Count > 0 ? certificates : throw new FormatException("no certificate in the PEM");
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new ToolException($"The CA of cluster '{cluster}' from DescribeCluster (certificateAuthority.data) cannot be read: {e.Message}.", e);
        }
    }
}

/// <summary>
/// The plugin's AWS side per instance: its <see cref="AwsContext"/> and EKS client, kept in the Core per-instance
/// cache (rebuilt when the instance's config changes).
/// </summary>
public sealed class EksClients(AwsContextProvider aws)
{
    /// <summary>The instance's AWS context.</summary>
    public AwsContext Context(PluginContext context) => aws.For(context);

    /// <summary>The instance's EKS client.</summary>
    public IEksClient For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service<IEksClient>(c => new EksClient(aws.For(c)));
    }
}
