using McpCloudTools.Sandbox.Services.Eks.Kube;

namespace McpCloudTools.Sandbox.Services.Eks;

/// <summary>
/// The default EKS scenario: <c>prod</c> (healthy, sized by <c>eks.pods</c>, a degraded spot node group and a
/// degraded add-on), <c>staging</c> (broken workloads of every kind), <c>dev</c> (10 pods, private endpoint, old
/// version). Deterministic from the scenario seed. The second region holds one cluster, <c>prod-eu</c> (12 pods, one of
/// them crash-looping).
/// </summary>
internal static class EksSeeder
{
    public static IEnumerable<SandboxEksCluster> Seed(SandboxContext context, SandboxScenario scenario)
    {
        if (scenario.IsEmpty) yield break;
        var now = context.Clock.UtcNow;
        if (scenario.IsSecondRegion)
        {
            yield return ProdEu(context, now);
            yield break;
        }
        yield return Prod(context, scenario.Size("eks.pods", 60), now);
        yield return Staging(context, now);
        yield return Dev(context, now);
    }

    private static SandboxEksCluster Prod(SandboxContext context, int pods, DateTimeOffset now)
    {
        var random = context.CreateRandom("eks:prod");
        var cluster = NewCluster(context, "prod", "1.31", "eks.12", now - TimeSpan.FromDays(400), random);
        var nodes = Math.Max(5, (int)Math.Ceiling(pods / 25.0));
        var spot = Math.Max(2, nodes / 5);
        Nodegroup(context, cluster, "general", ["m6i.large"], "ON_DEMAND", nodes - spot, 3, nodes + 5, now, random);
        var degraded = Nodegroup(context, cluster, "spot-batch", ["m5.xlarge", "m5a.xlarge"], "SPOT", spot, 0, spot + 4, now, random);
        degraded.Wire.Status = "DEGRADED";
        degraded.Wire.Health = new HealthWire { Issues = [new IssueWire
        {
            Code = "AsgInstanceLaunchFailures",
            Message = "Could not launch Spot Instances. UnfulfillableCapacity - Unable to fulfill capacity due to your request configuration. Please adjust your request and try again. Launching EC2 instance failed.",
            ResourceIds = [degraded.Wire.Resources!.AutoScalingGroups![0].Name!],
        }] };
        Addons(context, cluster, now, degradedEbs: true);
        var workloads = ProdWorkloads(pods, nodes, random);
        KubeSeeder.Seed(cluster.Kube, [new("general", "m6i.large", nodes - spot), new("spot-batch", "m5.xlarge", spot, "SPOT")], workloads, "v1.31.2-eks-7f9249a", context.Region);
        return cluster;
    }

    private static List<WorkloadPlan> ProdWorkloads(int total, int nodes, Random r)
    {
        List<WorkloadPlan> plans =
        [
            new("kube-system", "coredns", 2),
            new("kube-system", "aws-node", nodes, Owner: "DaemonSet"),
            new("kube-system", "kube-proxy", nodes, Owner: "DaemonSet"),
        ];
        string[] namespaces = ["payments", "checkout", "catalog", "search", "web", "orders", "identity", "notifications", "data", "monitoring"];
        string[] apps = ["api", "worker", "gateway", "frontend", "indexer", "scheduler", "consumer", "cache", "exporter", "sync"];
        PodProfile[] broken = [PodProfile.CrashLoop, PodProfile.OomKilled, PodProfile.ImagePullBackOff, PodProfile.Unschedulable, PodProfile.NotReady];
        var left = total - plans.Sum(p => p.Replicas);
        // One small broken deployment per ~400 pods (at least one), the rest healthy.
        var brokenLeft = Math.Max(1, total / 400);
        for (var i = 0; left > 0; i++)
        {
            var ns = namespaces[i % namespaces.Length];
            var app = apps[i / namespaces.Length % apps.Length] + (i >= namespaces.Length * apps.Length ? $"-{i / (namespaces.Length * apps.Length)}" : "");
            var isBroken = brokenLeft > 0 && i % 7 == 3;
            var replicas = Math.Min(left, isBroken ? 1 + r.Next(3) : 2 + r.Next(14));
            plans.Add(new(ns, app, replicas, isBroken ? broken[r.Next(broken.Length)] : PodProfile.Healthy));
            if (isBroken) brokenLeft--;
            left -= replicas;
        }
        return plans;
    }

    private static SandboxEksCluster Staging(SandboxContext context, DateTimeOffset now)
    {
        var random = context.CreateRandom("eks:staging");
        var cluster = NewCluster(context, "staging", "1.30", "eks.20", now - TimeSpan.FromDays(180), random);
        Nodegroup(context, cluster, "default", ["t3.large"], "ON_DEMAND", 3, 1, 5, now, random);
        Addons(context, cluster, now, degradedEbs: false);
        KubeSeeder.Seed(cluster.Kube, [new("default", "t3.large", 3)],
        [
            new("kube-system", "coredns", 2),
            new("kube-system", "aws-node", 3, Owner: "DaemonSet"),
            new("web", "frontend", 3),
            new("web", "api", 2, PodProfile.CrashLoop),
            new("web", "frontend-canary", 1, PodProfile.NotReady),
            new("payments", "ledger", 2, PodProfile.OomKilled),
            new("payments", "gateway", 2, PodProfile.ImagePullBackOff),
            new("payments", "notifier", 1, PodProfile.ConfigError),
            new("payments", "fraud-check", 1, PodProfile.ErrImagePull),
            new("batch", "ml-trainer", 1, PodProfile.Unschedulable),
            new("batch", "report-nightly", 1, PodProfile.JobOomKilled, "Job"),
            new("batch", "report-weekly", 1, PodProfile.Completed, "Job"),
            new("default", "cache-warmer", 2, PodProfile.Evicted, "ReplicaSet"),
            new("default", "session-drainer", 1, PodProfile.Terminating),
            new("default", "redis", 1),
        ], "v1.30.6-eks-7f9249a", context.Region);
        return cluster;
    }

    private static SandboxEksCluster Dev(SandboxContext context, DateTimeOffset now)
    {
        var random = context.CreateRandom("eks:dev");
        var cluster = NewCluster(context, "dev", "1.29", "eks.25", now - TimeSpan.FromDays(700), random, publicAccess: false, logTypes: []);
        Nodegroup(context, cluster, "default", ["t3.medium"], "SPOT", 2, 1, 3, now, random);
        Addons(context, cluster, now, degradedEbs: false);
        KubeSeeder.Seed(cluster.Kube, [new("default", "t3.medium", 2, "SPOT")],
            [
                new("kube-system", "coredns", 2),
                new("kube-system", "aws-node", 2, Owner: "DaemonSet"),
                new("kube-system", "kube-proxy", 2, Owner: "DaemonSet"),
                new("default", "hello", 2),
                new("default", "docs", 2),
            ], "v1.29.10-eks-7f9249a", context.Region);
        return cluster;
    }

    private static SandboxEksCluster ProdEu(SandboxContext context, DateTimeOffset now)
    {
        var random = context.CreateRandom("eks:prod-eu");
        var cluster = NewCluster(context, "prod-eu", "1.31", "eks.12", now - TimeSpan.FromDays(150), random);
        Nodegroup(context, cluster, "general", ["m6i.large"], "ON_DEMAND", 2, 2, 4, now, random);
        Addons(context, cluster, now, degradedEbs: false);
        KubeSeeder.Seed(cluster.Kube, [new("general", "m6i.large", 2)],
        [
            new("kube-system", "coredns", 2),
            new("kube-system", "aws-node", 2, Owner: "DaemonSet"),
            new("web", "frontend", 3),
            new("web", "api", 2),
            new("orders", "worker", 1, PodProfile.CrashLoop),
        ], "v1.31.2-eks-7f9249a", context.Region);
        return cluster;
    }

    private static SandboxEksCluster NewCluster(SandboxContext context, string name, string version, string platform, DateTimeOffset created,
        Random random, bool publicAccess = true, string[]? logTypes = null) => new()
    {
        Name = name, Version = version, PlatformVersion = platform, CreatedAt = created,
        PublicAccess = publicAccess, PrivateAccess = true,
        PublicAccessCidrs = publicAccess ? ["203.0.113.0/24"] : [],
        EnabledLogTypes = logTypes ?? ["api", "audit", "authenticator"],
        AuthenticationMode = name == "dev" ? "CONFIG_MAP" : "API_AND_CONFIG_MAP",
        Kube = new KubeCluster(name, GitVersionFor(version), () => context.Clock.UtcNow, random),
    };

    private static string GitVersionFor(string version) => version switch
    {
        "1.31" => "v1.31.2-eks-7f9249a",
        "1.30" => "v1.30.6-eks-7f9249a",
        _ => "v1.29.10-eks-7f9249a",
    };

    private static SandboxNodegroup Nodegroup(SandboxContext context, SandboxEksCluster cluster, string name, List<string> types, string capacity,
        int desired, int min, int max, DateTimeOffset now, Random random)
    {
        var id = Guid.NewGuid().ToString()[..8];
        var nodegroup = new SandboxNodegroup
        {
            Wire = new NodegroupWire
            {
                NodegroupName = name, ClusterName = cluster.Name, Status = "ACTIVE", CapacityType = capacity,
                NodegroupArn = $"arn:aws:eks:{context.Region}:{context.AccountId}:nodegroup/{cluster.Name}/{name}/{id}",
                Version = cluster.Version, ReleaseVersion = $"{cluster.Version}.0-20241109", AmiType = "AL2023_x86_64_STANDARD",
                CreatedAt = Epoch(now - TimeSpan.FromDays(30 + random.Next(100))), ModifiedAt = Epoch(now - TimeSpan.FromDays(random.Next(20))),
                ScalingConfig = new ScalingConfigWire { MinSize = min, MaxSize = max, DesiredSize = desired },
                InstanceTypes = types, DiskSize = 20,
                Subnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                NodeRole = $"arn:aws:iam::{context.AccountId}:role/eks-node-{cluster.Name}",
                Labels = new Dictionary<string, string> { ["workload"] = name },
                Resources = new NodegroupResourcesWire { AutoScalingGroups = [new AutoScalingGroupWire { Name = $"eks-{name}-{id}" }] },
                Health = new HealthWire { Issues = [] },
                UpdateConfig = new UpdateConfigWire { MaxUnavailable = 1 },
            },
        };
        cluster.Nodegroups[name] = nodegroup;
        return nodegroup;
    }

    private static void Addons(SandboxContext context, SandboxEksCluster cluster, DateTimeOffset now, bool degradedEbs)
    {
        (string Name, string Version)[] addons = [("vpc-cni", "v1.19.0-eksbuild.1"), ("coredns", "v1.11.3-eksbuild.2"), ("kube-proxy", $"v{cluster.Version}.2-eksbuild.3"), ("aws-ebs-csi-driver", "v1.37.0-eksbuild.1")];
        foreach (var (name, version) in addons)
        {
            var degraded = degradedEbs && name == "aws-ebs-csi-driver";
            cluster.Addons[name] = new AddonWire
            {
                AddonName = name, ClusterName = cluster.Name, AddonVersion = version, Status = degraded ? "DEGRADED" : "ACTIVE",
                AddonArn = $"arn:aws:eks:{context.Region}:{context.AccountId}:addon/{cluster.Name}/{name}/{Guid.NewGuid().ToString()[..8]}",
                CreatedAt = Epoch(now - TimeSpan.FromDays(120)), ModifiedAt = Epoch(now - TimeSpan.FromDays(9)), Owner = "aws", Publisher = "eks",
                ServiceAccountRoleArn = name == "aws-ebs-csi-driver" ? $"arn:aws:iam::{context.AccountId}:role/ebs-csi-{cluster.Name}" : null,
                Health = new HealthWire
                {
                    Issues = degraded
                        ? [new IssueWire { Code = "InsufficientNumberOfReplicas", Message = "The add-on is unhealthy because it doesn't have the desired number of replicas.", ResourceIds = ["kube-system/ebs-csi-controller"] }]
                        : [],
                },
            };
        }
    }

    internal static double Epoch(DateTimeOffset t) => Math.Round(t.ToUnixTimeMilliseconds() / 1000.0, 3);
}
