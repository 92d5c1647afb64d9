using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Eks.Client;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>The EKS API tools' work: clusters, node groups (and scaling them), add-ons.</summary>
public sealed class EksApiService(EksClients eks, PluginRouter<EksPlugin> router, TimeProvider time)
{
    private static readonly TimeSpan UpdateWait = TimeSpan.FromSeconds(8);

    /// <summary>The instance's clusters, one row each, unhealthy first.</summary>
    public async Task<string> ListClustersAsync(PluginContext plugin, CancellationToken ct)
    {
        // An account has at most 100 clusters per region (EKS quota): one page, every cluster described.
        var client = eks.For(plugin);
        var names = (await client.AllClustersAsync(ct).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList();
        var clusters = await DescribeAllAsync(names, n => client.DescribeClusterAsync(new DescribeClusterRequest { Name = n }, ct), r => r.Cluster, ct).ConfigureAwait(false);
        var active = router.ActiveCluster?.Id;
        var table = new TextTable("id", "version", "status", "endpoint", "issues");
        foreach (var c in clusters.OrderBy(c => c.Status == "ACTIVE" && (c.Health?.Issues?.Count ?? 0) == 0).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var id = EksClusters.ClusterId(plugin.Instance.Id, c.Name!);
            table.Row(id + (id == active ? "*" : ""), c.Version, c.Status, Access(c.ResourcesVpcConfig), Issues(c.Health?.Issues));
        }
        var region = eks.Context(plugin).Region.SystemName;
        var notActive = clusters.Count(c => c.Status != "ACTIVE");
        var output = new ToolOutput().Line($"EKS clusters in {region} ({plugin.Instance.Id}): {names.Count}" + (notActive > 0 ? $", not ACTIVE {notActive}" : ""));
        if (names.Count == 0) return output.Line("None. Check the instance's region (plugins_list) or register kubeconfig contexts.").ToString();
        output.Table(table);
        if (active is not null && clusters.Any(c => EksClusters.ClusterId(plugin.Instance.Id, c.Name!) == active)) output.Line("* active cluster");
        return output.ToString();
    }

    /// <summary>What matters about one cluster.</summary>
    public async Task<string> DescribeClusterAsync(ClusterTarget target, CancellationToken ct)
    {
        EksClusters.RequireEks(target.Cluster, "eks_cluster_describe");
        var c = (await eks.For(target.Plugin).DescribeClusterAsync(new DescribeClusterRequest { Name = target.Cluster.Name }, ct).ConfigureAwait(false)).Cluster
            ?? throw new ToolException($"DescribeCluster returned no cluster for '{target.Cluster.Name}'.");
        var vpc = c.ResourcesVpcConfig;
        var logging = c.Logging?.ClusterLogging ?? [];
        var enabled = logging.Where(l => l.Enabled == true).SelectMany(l => l.Types ?? []).ToList();
        var output = new ToolOutput()
            .Line($"cluster {c.Name} ({target.Cluster.Id}): {c.Status}, Kubernetes {c.Version} ({c.PlatformVersion}), {target.Cluster.Region}")
            .Field("endpoint", $"{Access(vpc)}" + (vpc?.EndpointPublicAccess == true && vpc.PublicAccessCidrs is { Count: > 0 } cidrs ? $" (public from {string.Join(", ", cidrs)})" : ""))
            .Field("api server", c.Endpoint)
            .Field("authentication mode", c.AccessConfig?.AuthenticationMode)
            .Field("support", c.UpgradePolicy?.SupportType)
            .Field("control-plane logs", enabled.Count == 0 ? "none enabled" : string.Join(", ", enabled))
            .Field("oidc issuer", c.Identity?.Oidc?.Issuer)
            .Field("vpc", vpc?.VpcId is null ? null : $"{vpc.VpcId}, {vpc.SubnetIds?.Count ?? 0} subnets, cluster SG {vpc.ClusterSecurityGroupId}")
            .Field("service CIDR", c.KubernetesNetworkConfig?.ServiceIpv4Cidr)
            .Field("created", c.CreatedAt)
            .Field("arn", c.Arn);
        return IssuesSection(output, c.Health?.Issues).ToString();
    }

    /// <summary>Node groups with scaling and health, degraded first.</summary>
    public async Task<string> ListNodegroupsAsync(ClusterTarget target, CancellationToken ct)
    {
        EksClusters.RequireEks(target.Cluster, "eks_nodegroup_list");
        var client = eks.For(target.Plugin);
        var names = await client.AllNodegroupsAsync(target.Cluster.Name, ct).ConfigureAwait(false);
        var groups = await DescribeAllAsync(names, n => client.DescribeNodegroupAsync(new DescribeNodegroupRequest { ClusterName = target.Cluster.Name, NodegroupName = n }, ct),
            r => r.Nodegroup, ct).ConfigureAwait(false);
        var table = new TextTable("name", "status", "capacity", "types", "desired", "min", "max", "issues");
        foreach (var g in groups.OrderBy(g => g.Status == "ACTIVE").ThenBy(g => g.NodegroupName, StringComparer.Ordinal))
            table.Row(g.NodegroupName, g.Status, g.CapacityType, string.Join(",", g.InstanceTypes ?? []), N(g.ScalingConfig?.DesiredSize),
                N(g.ScalingConfig?.MinSize), N(g.ScalingConfig?.MaxSize), Issues(g.Health?.Issues));
        var unhealthy = groups.Count(g => g.Status != "ACTIVE");
        return new ToolOutput().Line($"node groups of {target.Cluster.Id}: {groups.Count}" + (unhealthy > 0 ? $", not ACTIVE {unhealthy}" : ""))
            .Table(table).ToString();
    }

    /// <summary>One node group in detail.</summary>
    public async Task<string> DescribeNodegroupAsync(ClusterTarget target, string nodegroup, CancellationToken ct)
    {
        EksClusters.RequireEks(target.Cluster, "eks_nodegroup_describe");
        var g = await GetNodegroupAsync(target, nodegroup, ct).ConfigureAwait(false);
        var s = g.ScalingConfig;
        var output = new ToolOutput()
            .Line($"node group {g.NodegroupName} of {target.Cluster.Id}: {g.Status}, {g.CapacityType}, Kubernetes {g.Version} ({g.ReleaseVersion})")
            .Field("scaling", s is null ? null : $"desired {s.DesiredSize}, min {s.MinSize}, max {s.MaxSize}")
            .Field("instance types", g.InstanceTypes)
            .Field("ami type", g.AmiType)
            .Field("disk", g.DiskSize is { } d ? $"{d} GiB" : null)
            .Field("update", g.UpdateConfig?.MaxUnavailable is { } mu ? $"max unavailable {mu}" : g.UpdateConfig?.MaxUnavailablePercentage is { } mp ? $"max unavailable {mp}%" : null)
            .Field("labels", g.Labels?.Select(kv => $"{kv.Key}={kv.Value}").ToList())
            .Field("taints", g.Taints?.Select(t => $"{t.Key}={t.Value}:{t.Effect}").ToList())
            .Field("auto scaling groups", g.Resources?.AutoScalingGroups?.Select(a => a.Name ?? "").ToList())
            .Field("subnets", g.Subnets)
            .Field("node role", g.NodeRole)
            .Field("modified", g.ModifiedAt);
        return IssuesSection(output, g.Health?.Issues).ToString();
    }

    /// <summary>Starts a scaling update, then waits briefly for its outcome.</summary>
    public async Task<string> ScaleNodegroupAsync(ClusterTarget target, string nodegroup, int desired, int? max, CancellationToken ct)
    {
        EksClusters.RequireEks(target.Cluster, "eks_nodegroup_scale");
        var current = (await GetNodegroupAsync(target, nodegroup, ct).ConfigureAwait(false)).ScalingConfig ?? new NodegroupScalingConfig();
        var (newMin, newMax) = (Math.Min(current.MinSize ?? 0, desired), max ?? current.MaxSize ?? desired);
        if (desired < 0 || newMin < 0 || newMax < 1 || desired < newMin || desired > newMax)
            throw new ToolException($"desired {desired} must lie within 0 and max {newMax}. Pass max as well to raise the bound.");
        var client = eks.For(target.Plugin);
        var update = (await client.UpdateNodegroupConfigAsync(new UpdateNodegroupConfigRequest
        {
            ClusterName = target.Cluster.Name, NodegroupName = nodegroup,
            // Scaling below the minimum lowers the minimum with it, as the console does.
            ScalingConfig = new NodegroupScalingConfig { DesiredSize = desired, MinSize = newMin != current.MinSize ? newMin : null, MaxSize = max },
            ClientRequestToken = Guid.NewGuid().ToString(),
        }, ct).ConfigureAwait(false)).Update ?? throw new ToolException("UpdateNodegroupConfig returned no update.");

        var started = time.GetTimestamp();
        while (update.Status == "InProgress" && time.GetElapsedTime(started) < UpdateWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct).ConfigureAwait(false);
            update = (await client.DescribeUpdateAsync(new DescribeUpdateRequest
            {
                Name = target.Cluster.Name, UpdateId = update.Id!, NodegroupName = nodegroup,
            }, ct).ConfigureAwait(false)).Update ?? update;
        }
        var change = $"desired {current.DesiredSize}→{desired}" + (newMin != current.MinSize ? $", min {current.MinSize}→{newMin}" : "") + (max is { } x ? $", max {current.MaxSize}→{x}" : "");
        var output = new ToolOutput().Line($"node group {nodegroup} of {target.Cluster.Id}: {change}")
            .Line($"update {update.Id}: {update.Status}" + (update.Status == "InProgress"
                ? $" after {UpdateWait.TotalSeconds:0}s; eks_nodegroup_describe shows the scaling once it completes."
                : ""));
        foreach (var e in update.Errors ?? []) output.Line($"error {e.ErrorCode}: {e.ErrorMessage}");
        return output.ToString();
    }

    /// <summary>Add-ons with version, status and health, degraded first.</summary>
    public async Task<string> ListAddonsAsync(ClusterTarget target, CancellationToken ct)
    {
        EksClusters.RequireEks(target.Cluster, "eks_addon_list");
        var client = eks.For(target.Plugin);
        var names = await client.AllAddonsAsync(target.Cluster.Name, ct).ConfigureAwait(false);
        var addons = await DescribeAllAsync(names, n => client.DescribeAddonAsync(new DescribeAddonRequest { ClusterName = target.Cluster.Name, AddonName = n }, ct),
            r => r.Addon, ct).ConfigureAwait(false);
        var table = new TextTable("name", "version", "status", "issues");
        foreach (var a in addons.OrderBy(a => a.Status == "ACTIVE").ThenBy(a => a.AddonName, StringComparer.Ordinal))
            table.Row(a.AddonName, a.AddonVersion, a.Status, Issues(a.Health?.Issues));
        var unhealthy = addons.Count(a => a.Status != "ACTIVE");
        return new ToolOutput().Line($"add-ons of {target.Cluster.Id}: {addons.Count}" + (unhealthy > 0 ? $", not ACTIVE {unhealthy}" : ""))
            .Table(table).ToString();
    }

    private async Task<Nodegroup> GetNodegroupAsync(ClusterTarget target, string nodegroup, CancellationToken ct) =>
        (await eks.For(target.Plugin).DescribeNodegroupAsync(new DescribeNodegroupRequest { ClusterName = target.Cluster.Name, NodegroupName = nodegroup }, ct)
            .ConfigureAwait(false)).Nodegroup ?? throw new ToolException($"DescribeNodegroup returned nothing for '{nodegroup}'.");

    // Describe calls run four at a time: enough to be quick, few enough not to trip EKS throttling.
    private static async Task<List<TItem>> DescribeAllAsync<TResponse, TItem>(IEnumerable<string> names, Func<string, Task<TResponse>> describe,
        Func<TResponse, TItem?> item, CancellationToken ct) where TItem : class
    {
        using var throttle = new SemaphoreSlim(4);
        var results = await Task.WhenAll(names.Select(async n =>
        {
            await throttle.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return item(await describe(n).ConfigureAwait(false));
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);
        return [.. results.OfType<TItem>()];
    }

    private static ToolOutput IssuesSection(ToolOutput output, List<Issue>? issues) =>
        output.Section($"health issues ({issues?.Count ?? 0})", o =>
        {
            foreach (var i in issues ?? []) o.Line($"{i.Code}: {i.Message}" + (i.ResourceIds is { Count: > 0 } ids ? $" [{string.Join(", ", ids)}]" : ""));
        });

    private static string Access(VpcConfigResponse? vpc) => vpc is null ? "" : (vpc.EndpointPublicAccess, vpc.EndpointPrivateAccess) switch
    {
        (true, true) => "public+private",
        (true, _) => "public",
        (_, true) => "private",
        _ => "none",
    };

    private static string Issues(List<Issue>? issues) =>
        issues is { Count: > 0 } ? string.Join("; ", issues.Select(i => i.Code)) : "";

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
