using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Eks.Client;

/// <summary>The EKS operations the plugin uses, shaped like AWSSDK's <c>IAmazonEKS</c>.</summary>
public interface IEksClient
{
    /// <summary>One page of cluster names.</summary>
    Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default);

    /// <summary>A cluster: endpoint, CA, version, access, logging, health.</summary>
    Task<DescribeClusterResponse> DescribeClusterAsync(DescribeClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page of node group names.</summary>
    Task<ListNodegroupsResponse> ListNodegroupsAsync(ListNodegroupsRequest request, CancellationToken cancellationToken = default);

    /// <summary>A managed node group.</summary>
    Task<DescribeNodegroupResponse> DescribeNodegroupAsync(DescribeNodegroupRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a node group configuration update (scaling).</summary>
    Task<UpdateNodegroupConfigResponse> UpdateNodegroupConfigAsync(UpdateNodegroupConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>The state of an update.</summary>
    Task<DescribeUpdateResponse> DescribeUpdateAsync(DescribeUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page of add-on names.</summary>
    Task<ListAddonsResponse> ListAddonsAsync(ListAddonsRequest request, CancellationToken cancellationToken = default);

    /// <summary>An add-on: version, status, health.</summary>
    Task<DescribeAddonResponse> DescribeAddonAsync(DescribeAddonRequest request, CancellationToken cancellationToken = default);
}

/// <summary>EKS over restJson1 on the shared pipeline (signing, retries, error mapping).</summary>
public sealed class EksClient(AwsContext context) : RestJsonClientBase(context, AwsService.Eks), IEksClient
{
    private const string ClusterHint = "eks_cluster_list shows the clusters of this instance's account and region.";
    private static readonly AwsOperation ListClustersOp = new("ListClusters");
    private static readonly AwsOperation DescribeClusterOp = new("DescribeCluster");
    private static readonly AwsOperation ListNodegroupsOp = new("ListNodegroups");
    private static readonly AwsOperation DescribeNodegroupOp = new("DescribeNodegroup");
    private static readonly AwsOperation DescribeUpdateOp = new("DescribeUpdate");
    private static readonly AwsOperation ListAddonsOp = new("ListAddons");
    private static readonly AwsOperation DescribeAddonOp = new("DescribeAddon");

    private static EksJsonContext Json => EksJsonContext.Default;

    /// <inheritdoc />
    public Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListClustersOp, "/clusters").Query("maxResults", request.MaxResults).Query("nextToken", request.NextToken),
            Json.ListClustersResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeClusterResponse> DescribeClusterAsync(DescribeClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(DescribeClusterOp, "/clusters/{0}", ClusterSegment(request.Name)).About($"cluster '{request.Name}'", ClusterHint),
            Json.DescribeClusterResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ListNodegroupsResponse> ListNodegroupsAsync(ListNodegroupsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListNodegroupsOp, "/clusters/{0}/node-groups", ClusterSegment(request.ClusterName))
                .Query("maxResults", request.MaxResults).Query("nextToken", request.NextToken).About($"cluster '{request.ClusterName}'", ClusterHint),
            Json.ListNodegroupsResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeNodegroupResponse> DescribeNodegroupAsync(DescribeNodegroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(DescribeNodegroupOp, "/clusters/{0}/node-groups/{1}", ClusterSegment(request.ClusterName), NodegroupSegment(request.NodegroupName))
                .About($"node group '{request.NodegroupName}' of cluster '{request.ClusterName}'", "eks_nodegroup_list shows the cluster's node groups."),
            Json.DescribeNodegroupResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<UpdateNodegroupConfigResponse> UpdateNodegroupConfigAsync(UpdateNodegroupConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // As the AWS SDKs do: a fresh idempotency token when the caller sets none. It is in the body, so every retry
        // of this call carries the same one.
        request.ClientRequestToken ??= Guid.NewGuid().ToString();
        // Safe to repeat only because of the token: EKS answers a repeated request with the update it already started.
        var operation = new AwsOperation("UpdateNodegroupConfig", Idempotent: request.ClientRequestToken is not null);
        return SendAsync(RestJsonRequest.Post(operation, "/clusters/{0}/node-groups/{1}/update-config", ClusterSegment(request.ClusterName), NodegroupSegment(request.NodegroupName))
                .Body(request, Json.UpdateNodegroupConfigRequest)
                .About($"node group '{request.NodegroupName}' of cluster '{request.ClusterName}'", "eks_nodegroup_list shows the cluster's node groups."),
            Json.UpdateNodegroupConfigResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeUpdateResponse> DescribeUpdateAsync(DescribeUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(DescribeUpdateOp, "/clusters/{0}/updates/{1}", ClusterSegment(request.Name), PathSegment.Of(request.UpdateId, EksNames.UpdateId, "updateId"))
                .Query("nodegroupName", request.NodegroupName is null ? null : NodegroupSegment(request.NodegroupName).Value)
                .Query("addonName", request.AddonName is null ? null : AddonSegment(request.AddonName).Value).About($"update '{request.UpdateId}'"),
            Json.DescribeUpdateResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ListAddonsResponse> ListAddonsAsync(ListAddonsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListAddonsOp, "/clusters/{0}/addons", ClusterSegment(request.ClusterName))
                .Query("maxResults", request.MaxResults).Query("nextToken", request.NextToken).About($"cluster '{request.ClusterName}'", ClusterHint),
            Json.ListAddonsResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeAddonResponse> DescribeAddonAsync(DescribeAddonRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(DescribeAddonOp, "/clusters/{0}/addons/{1}", ClusterSegment(request.ClusterName), AddonSegment(request.AddonName))
                .About($"add-on '{request.AddonName}' of cluster '{request.ClusterName}'", "eks_addon_list shows the cluster's add-ons."),
            Json.DescribeAddonResponse, cancellationToken);
    }

    private static PathSegment ClusterSegment(string? name) => PathSegment.Of(name, EksNames.Cluster, "cluster name");

    private static PathSegment NodegroupSegment(string? name) => PathSegment.Of(name, EksNames.Nodegroup, "nodegroup");

    private static PathSegment AddonSegment(string? name) => PathSegment.Of(name, EksNames.Addon, "add-on name");
}

/// <summary>Complete listings over EKS's <c>nextToken</c> paging (bounded, so a broken chain cannot loop).</summary>
public static class EksPaging
{
    private static readonly PageLimits All = new(MaxPages: 100);

    /// <summary>Every cluster name.</summary>
    public static async Task<IReadOnlyList<string>> AllClustersAsync(this IEksClient client, CancellationToken cancellationToken) =>
        (await AwsPaging.CollectAsync((token, _, ct) => client.ListClustersAsync(new ListClustersRequest { MaxResults = 100, NextToken = token }, ct),
            p => p.Clusters, p => p.NextToken, All, null, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Every node group name of a cluster.</summary>
    public static async Task<IReadOnlyList<string>> AllNodegroupsAsync(this IEksClient client, string cluster, CancellationToken cancellationToken) =>
        (await AwsPaging.CollectAsync((token, _, ct) => client.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = cluster, MaxResults = 100, NextToken = token }, ct),
            p => p.Nodegroups, p => p.NextToken, All, null, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Every add-on name of a cluster.</summary>
    public static async Task<IReadOnlyList<string>> AllAddonsAsync(this IEksClient client, string cluster, CancellationToken cancellationToken) =>
        (await AwsPaging.CollectAsync((token, _, ct) => client.ListAddonsAsync(new ListAddonsRequest { ClusterName = cluster, MaxResults = 100, NextToken = token }, ct),
            p => p.Addons, p => p.NextToken, All, null, cancellationToken).ConfigureAwait(false)).Items;
}
