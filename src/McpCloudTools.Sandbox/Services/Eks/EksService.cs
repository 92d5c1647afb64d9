using System.Globalization;
using McpCloudTools.Sandbox.Services.Eks.Kube;

namespace McpCloudTools.Sandbox.Services.Eks;

/// <summary>
/// Amazon EKS over restJson1 (ListClusters, DescribeCluster, ListNodegroups, DescribeNodegroup,
/// UpdateNodegroupConfig, DescribeUpdate, ListAddons, DescribeAddon), and for every cluster a Kubernetes API over
/// TLS, started on first need, whose endpoint and CA DescribeCluster returns.
/// </summary>
public sealed class EksService(SandboxContext context) : ISandboxService, IAsyncDisposable
{
    private readonly SortedDictionary<string, SandboxEksCluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeApiServer> _servers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private static readonly string[] LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
    private readonly Lock _gate = new();
    private readonly RestJsonRouter<Func<SandboxRequest, RouteValues, CancellationToken, Task>> _router = new();
    private long _calls;

    /// <inheritdoc />
    public string SigningName => "eks";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.RestJson1;

    /// <summary>The clusters, by name.</summary>
    public IReadOnlyDictionary<string, SandboxEksCluster> Clusters => _clusters;

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario)
    {
        foreach (var cluster in EksSeeder.Seed(context, scenario)) _clusters[cluster.Name] = cluster;
        var json = EksSandboxJsonContext.Default;
        _router
            .Map("GET", "/clusters", (r, _, ct) => SandboxJson.WriteAsync(r, 200, ListClusters(r), json.ListClustersOutput, ct))
            .Map("GET", "/clusters/{name}", async (r, v, ct) => await SandboxJson.WriteAsync(r, 200,
                new DescribeClusterOutput { Cluster = await DescribeAsync(Require(v["name"]), ct).ConfigureAwait(false) }, json.DescribeClusterOutput, ct).ConfigureAwait(false))
            .Map("GET", "/clusters/{name}/node-groups", (r, v, ct) => SandboxJson.WriteAsync(r, 200, ListNodegroups(r, Require(v["name"])), json.ListNodegroupsOutput, ct))
            .Map("GET", "/clusters/{name}/node-groups/{nodegroupName}", (r, v, ct) => SandboxJson.WriteAsync(r, 200,
                new DescribeNodegroupOutput { Nodegroup = RequireNodegroup(Require(v["name"]), v["nodegroupName"]).Wire }, json.DescribeNodegroupOutput, ct))
            .Map("POST", "/clusters/{name}/node-groups/{nodegroupName}/update-config", (r, v, ct) => SandboxJson.WriteAsync(r, 200,
                UpdateNodegroupConfig(Require(v["name"]), v["nodegroupName"], SandboxJson.Read(r, json.UpdateNodegroupConfigInput)), json.UpdateOutput, ct))
            .Map("GET", "/clusters/{name}/updates/{updateId}", (r, v, ct) => SandboxJson.WriteAsync(r, 200,
                DescribeUpdate(Require(v["name"]), v["updateId"], r.Query.Get("nodegroupName")), json.UpdateOutput, ct))
            .Map("GET", "/clusters/{name}/addons", (r, v, ct) => SandboxJson.WriteAsync(r, 200, ListAddons(r, Require(v["name"])), json.ListAddonsOutput, ct))
            .Map("GET", "/clusters/{name}/addons/{addonName}", (r, v, ct) => SandboxJson.WriteAsync(r, 200,
                new DescribeAddonOutput { Addon = RequireAddon(Require(v["name"]), v["addonName"]) }, json.DescribeAddonOutput, ct));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary() => new Dictionary<string, long>
    {
        ["clusters"] = _clusters.Count,
        ["pods"] = _clusters.Values.Sum(c => (long)c.Kube.PodCount),
        ["kubeResponseBytes"] = _clusters.Values.Sum(c => c.Kube.BytesServed),
        ["calls"] = Interlocked.Read(ref _calls),
    };

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _calls);
        var match = _router.Match(request.Method, request.RawTarget)
            ?? throw new SandboxApiException(404, "UnknownOperationException", $"The sandbox's EKS has no operation for {request.Method} {request.RawPath}.");
        return match.Handler(request, match.Values, cancellationToken);
    }

    /// <summary>Starts (once) the Kubernetes API of every cluster and returns the one of <paramref name="name"/>.</summary>
    public async Task<KubeApiServer> KubeApiAsync(string name, CancellationToken cancellationToken)
    {
        await StartApisAsync(cancellationToken).ConfigureAwait(false);
        return _servers[name];
    }

    /// <summary>Starts the Kubernetes API of every cluster of this region, each on its port (see <see cref="SandboxOptions.Port"/>).</summary>
    public async Task StartApisAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var cluster in _clusters.Values)
            {
                if (_servers.ContainsKey(cluster.Name)) continue;
                _servers[cluster.Name] = await KubeApiServer.StartAsync(cluster.Kube, CertificateSeed(cluster), context.KubernetesPorts.PortOf(context.Region, cluster.Name),
                    context, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>The Kubernetes APIs started so far.</summary>
    public IReadOnlyList<(string Cluster, Uri Endpoint)> StartedApis()
    {
        _startGate.Wait();
        try
        {
            return [.. _servers.Select(p => (p.Key, p.Value.Endpoint))];
        }
        finally
        {
            _startGate.Release();
        }
    }

    // A cluster's CA is derived from what identifies it, so that it is the same on every start (a kubeconfig holding
    // it keeps working); the sandbox is not a security boundary, its CA key is no secret.
    private string CertificateSeed(SandboxEksCluster cluster) =>
        string.Create(CultureInfo.InvariantCulture, $"{context.Options.Scenario.Seed}/{context.AccountId}/{context.Region}/{cluster.Name}");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values) await server.DisposeAsync().ConfigureAwait(false);
        _servers.Clear();
        _startGate.Dispose();
    }

    private ListClustersOutput ListClusters(SandboxRequest request)
    {
        var (page, next) = Page(_clusters.Keys.ToList(), request, 100);
        return new ListClustersOutput { Clusters = page, NextToken = next };
    }

    private async Task<ClusterWire> DescribeAsync(SandboxEksCluster c, CancellationToken ct)
    {
        var server = await KubeApiAsync(c.Name, ct).ConfigureAwait(false);
        return new ClusterWire
        {
            Name = c.Name, Arn = Arn(c), CreatedAt = EksSeeder.Epoch(c.CreatedAt), Version = c.Version, PlatformVersion = c.PlatformVersion,
            Endpoint = server.Endpoint.ToString().TrimEnd('/'), Status = c.Status,
            RoleArn = $"arn:aws:iam::{context.AccountId}:role/eks-cluster-{c.Name}",
            ResourcesVpcConfig = new VpcConfigWire
            {
                SubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], SecurityGroupIds = ["sg-0123456789abcdef0"],
                ClusterSecurityGroupId = "sg-0fedcba9876543210", VpcId = "vpc-0a1b2c3d4e5f60000",
                EndpointPublicAccess = c.PublicAccess, EndpointPrivateAccess = c.PrivateAccess, PublicAccessCidrs = [.. c.PublicAccessCidrs],
            },
            KubernetesNetworkConfig = new NetworkConfigWire { ServiceIpv4Cidr = "172.20.0.0/16", IpFamily = "ipv4" },
            Logging = new LoggingWire
            {
                ClusterLogging =
                [
                    new LogSetupWire { Types = [.. c.EnabledLogTypes], Enabled = true },
                    new LogSetupWire { Types = [.. LogTypes.Except(c.EnabledLogTypes)], Enabled = false },
                ],
            },
            Identity = new IdentityWire { Oidc = new OidcWire { Issuer = $"https://oidc.eks.{context.Region}.amazonaws.com/id/{Hex(c.Name)}" } },
            CertificateAuthority = new CertificateWire { Data = c.CertificateOverride ?? server.Certificates.CaData },
            Health = new HealthWire { Issues = c.HealthIssues },
            AccessConfig = new AccessConfigWire { AuthenticationMode = c.AuthenticationMode },
            UpgradePolicy = new UpgradePolicyWire { SupportType = c.Version == "1.29" ? "EXTENDED" : "STANDARD" },
            Tags = new Dictionary<string, string> { ["env"] = c.Name },
        };
    }

    private static ListNodegroupsOutput ListNodegroups(SandboxRequest request, SandboxEksCluster c)
    {
        var (page, next) = Page(c.Nodegroups.Keys.ToList(), request, 100);
        return new ListNodegroupsOutput { Nodegroups = page, NextToken = next };
    }

    private static ListAddonsOutput ListAddons(SandboxRequest request, SandboxEksCluster c)
    {
        var (page, next) = Page(c.Addons.Keys.ToList(), request, 100);
        return new ListAddonsOutput { Addons = page, NextToken = next };
    }

    private UpdateOutput UpdateNodegroupConfig(SandboxEksCluster c, string name, UpdateNodegroupConfigInput input)
    {
        var nodegroup = RequireNodegroup(c, name);
        lock (_gate)
        {
            if (input.ClientRequestToken is { } token && c.Updates.Values.FirstOrDefault(u => u.ClientRequestToken == token) is { } same)
                return new UpdateOutput { Update = Wire(same) };
            if (input.ScalingConfig is not { } wanted)
                throw new SandboxApiException(400, "InvalidParameterException", "No changes needed: specify scalingConfig, labels, taints or updateConfig.");
            if (c.Updates.Values.Any(u => u.Nodegroup == name && !Done(u)))
                throw new SandboxApiException(409, "ResourceInUseException", $"Nodegroup {name} is already being updated. Wait for the update in progress to finish.");
            var current = nodegroup.Wire.ScalingConfig!;
            var min = wanted.MinSize ?? current.MinSize!.Value;
            var max = wanted.MaxSize ?? current.MaxSize!.Value;
            var desired = wanted.DesiredSize ?? current.DesiredSize!.Value;
            if (min < 0 || max < 1 || desired < 0)
                throw new SandboxApiException(400, "InvalidParameterException", "minSize and desiredSize must be >= 0 and maxSize >= 1.");
            if (desired > max)
                throw new SandboxApiException(400, "InvalidParameterException", $"Desired capacity:{desired} can't be greater than max size:{max}");
            if (desired < min)
                throw new SandboxApiException(400, "InvalidParameterException", $"Minimum capacity {min} can't be greater than desired size {desired}");
            List<UpdateParamWire> parameters = [];
            if (wanted.MinSize is not null) parameters.Add(new() { Type = "MinSize", Value = min.ToString(CultureInfo.InvariantCulture) });
            if (wanted.MaxSize is not null) parameters.Add(new() { Type = "MaxSize", Value = max.ToString(CultureInfo.InvariantCulture) });
            if (wanted.DesiredSize is not null) parameters.Add(new() { Type = "DesiredSize", Value = desired.ToString(CultureInfo.InvariantCulture) });
            var update = new SandboxUpdate(Guid.NewGuid().ToString(), name, input.ClientRequestToken, context.Clock.UtcNow, parameters, () =>
            {
                nodegroup.Wire.ScalingConfig = new ScalingConfigWire { MinSize = min, MaxSize = max, DesiredSize = desired };
                nodegroup.Wire.ModifiedAt = EksSeeder.Epoch(context.Clock.UtcNow);
            });
            c.Updates[update.Id] = update;
            return new UpdateOutput { Update = Wire(update) };
        }
    }

    private UpdateOutput DescribeUpdate(SandboxEksCluster c, string id, string? nodegroup)
    {
        lock (_gate)
        {
            if (!c.Updates.TryGetValue(id, out var update) || nodegroup is not null && update.Nodegroup != nodegroup)
                throw new SandboxApiException(404, "ResourceNotFoundException", $"No update found for ID: {id}.");
            return new UpdateOutput { Update = Wire(update) };
        }
    }

    private UpdateWire Wire(SandboxUpdate update)
    {
        var done = Done(update);
        if (done && !update.Applied)
        {
            update.Apply();
            update.Applied = true;
        }
        return new UpdateWire
        {
            Id = update.Id, Status = done ? "Successful" : "InProgress", Type = "ConfigUpdate", Params = update.Params,
            CreatedAt = EksSeeder.Epoch(update.CreatedAt), Errors = [],
        };
    }

    private bool Done(SandboxUpdate update) => context.Clock.UtcNow - update.CreatedAt >= SandboxUpdate.Duration;

    private SandboxEksCluster Require(string name) => _clusters.TryGetValue(name, out var c) ? c
        : throw new SandboxApiException(404, "ResourceNotFoundException", $"No cluster found for name: {name}.");

    private static SandboxNodegroup RequireNodegroup(SandboxEksCluster c, string name) => c.Nodegroups.TryGetValue(name, out var n) ? n
        : throw new SandboxApiException(404, "ResourceNotFoundException", $"No node group found for name: {name}.");

    private static AddonWire RequireAddon(SandboxEksCluster c, string name) => c.Addons.TryGetValue(name, out var a) ? a
        : throw new SandboxApiException(404, "ResourceNotFoundException", $"No addon: {name} found in cluster: {c.Name}");

    private static (List<string> Page, string? Next) Page(List<string> all, SandboxRequest request, int max)
    {
        var size = request.Query.GetInt("maxResults") ?? max;
        if (size is < 1 || size > max)
            throw new SandboxApiException(400, "InvalidParameterException", $"maxResults must be between 1 and {max}.");
        var start = request.Query.Get("nextToken") is { } token
            ? int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new SandboxApiException(400, "InvalidParameterException", "The nextToken is not valid.")
            : 0;
        var page = all.Skip(start).Take(size).ToList();
        return (page, start + size < all.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null);
    }

    private string Arn(SandboxEksCluster c) => $"arn:aws:eks:{context.Region}:{context.AccountId}:cluster/{c.Name}";

    private static string Hex(string s) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..32];
}
