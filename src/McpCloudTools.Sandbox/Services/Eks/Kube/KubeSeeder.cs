using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>A node group's nodes as the seeder creates them.</summary>
/// <param name="Nodegroup">Node group name.</param>
/// <param name="InstanceType">EC2 instance type.</param>
/// <param name="Count">Nodes.</param>
/// <param name="CapacityType">ON_DEMAND or SPOT.</param>
public sealed record NodePlan(string Nodegroup, string InstanceType, int Count, string CapacityType = "ON_DEMAND");

/// <summary>A deployment (or bare pods) the seeder creates.</summary>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">App name.</param>
/// <param name="Replicas">Pods.</param>
/// <param name="Profile">How its pods behave.</param>
/// <param name="Owner">Deployment, ReplicaSet (orphaned pods), Job, or DaemonSet.</param>
public sealed record WorkloadPlan(string Namespace, string Name, int Replicas, PodProfile Profile = PodProfile.Healthy, string Owner = "Deployment");

/// <summary>Fills a <see cref="KubeCluster"/>: namespaces, nodes, workloads and the events their state implies.</summary>
public static class KubeSeeder
{
    private static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];
    /// <summary>Seeds nodes and workloads in <paramref name="region"/>'s zones; pods are spread over the nodes round-robin.</summary>
    public static void Seed(KubeCluster cluster, IReadOnlyList<NodePlan> nodePlans, IReadOnlyList<WorkloadPlan> workloads, string kubeletVersion,
        string region = "us-east-1")
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(region);
        string[] zones = [region + "a", region + "b", region + "c"];
        var domain = region == "us-east-1" ? "ec2.internal" : $"{region}.compute.internal";
        var r = cluster.Random;
        var now = cluster.Now;
        foreach (var ns in SystemNamespaces.Concat(workloads.Select(w => w.Namespace)).Distinct())
            cluster.AddNamespace(ns, now - TimeSpan.FromDays(ns.StartsWith("kube", StringComparison.Ordinal) || ns == "default" ? 200 : 90));

        var nodeIndex = 0;
        foreach (var plan in nodePlans)
        {
            for (var i = 0; i < plan.Count; i++, nodeIndex++)
            {
                var name = $"ip-10-0-{(nodeIndex * 7 % 60) + 1}-{(nodeIndex * 37 % 250) + 2}.{domain}";
                var degraded = plan.CapacityType == "SPOT" && i == plan.Count - 1 && plan.Count > 1;
                cluster.AddNode(KubeObjects.Node(name, plan.Nodegroup, plan.InstanceType, zones[nodeIndex % 3], kubeletVersion,
                    now - TimeSpan.FromDays(3 + r.Next(40)), ready: !degraded, memoryPressure: false, plan.CapacityType));
            }
        }

        var nodes = cluster.NodesUnlocked().Where(n => n.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"))
            .Select(n => n.Metadata.Name).ToArray();
        var next = 0;
        foreach (var plan in workloads)
        {
            var containers = Containers(plan, region);
            var workload = new KubeWorkload
            {
                Namespace = plan.Namespace, Name = plan.Name, Profile = plan.Profile, TemplateHash = KubeCluster.Hash(r),
                NewPod = (w, suffix, created) =>
                {
                    var node = nodes.Length == 0 ? null : nodes[next++ % nodes.Length];
                    var podName = plan.Owner is "Job" ? $"{w.Name}-{suffix}" : plan.Owner is "DaemonSet" ? $"{w.Name}-{suffix}" : $"{w.Name}-{w.TemplateHash}-{suffix}";
                    var owner = plan.Owner is "Deployment" ? "ReplicaSet" : plan.Owner;
                    var ownerName = owner == "ReplicaSet" ? $"{w.Name}-{w.TemplateHash}" : w.Name;
                    return KubeObjects.Pod(w, podName, created, cluster.Now, containers, node, owner, ownerName, cluster.Random);
                },
            };
            if (plan.Owner == "Deployment") workload.Deployment = Deployment(plan, containers, now - TimeSpan.FromDays(30 + r.Next(60)));
            cluster.AddWorkload(workload, plan.Replicas);
        }

        foreach (var pod in cluster.Pods()) AddEvents(cluster, pod);
        AddServices(cluster, workloads);
        cluster.StartRecording();
    }

    // A ClusterIP service in front of each deployment (port 80 to the app's 8080), kube-dns in front of CoreDNS, and
    // the API server's own "kubernetes" service; their endpoints follow the pods.
    private static void AddServices(KubeCluster cluster, IReadOnlyList<WorkloadPlan> workloads)
    {
        var r = cluster.Random;
        var now = cluster.Now;
        string ClusterIp() => $"172.20.{r.Next(1, 255)}.{r.Next(1, 255)}";
        V1Service Service(string ns, string name, string ip, IDictionary<string, string>? selector, params V1ServicePort[] ports) => new()
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = KubeCluster.Meta(name, ns, now - TimeSpan.FromDays(ns == "default" && name == "kubernetes" ? 200 : 30 + r.Next(60)),
                selector is null ? new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" } : new Dictionary<string, string> { ["app"] = name }),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP", ClusterIP = ip, ClusterIPs = [ip], Selector = selector, Ports = ports,
                SessionAffinity = "None", IpFamilies = ["IPv4"], IpFamilyPolicy = "SingleStack", InternalTrafficPolicy = "Cluster",
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() },
        };

        cluster.AddService(Service("default", "kubernetes", "172.20.0.1", null, new V1ServicePort { Name = "https", Port = 443, TargetPort = "443", Protocol = "TCP" }));
        cluster.SetEndpoints(new V1Endpoints
        {
            ApiVersion = "v1", Kind = "Endpoints",
            Metadata = KubeCluster.Meta("kubernetes", "default", now - TimeSpan.FromDays(200), new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }),
            Subsets = [new V1EndpointSubset
            {
                Addresses = [new V1EndpointAddress { Ip = "10.0.101.17" }, new V1EndpointAddress { Ip = "10.0.102.44" }],
                Ports = [new Corev1EndpointPort { Name = "https", Port = 443, Protocol = "TCP" }],
            }],
        });
        foreach (var plan in workloads.Where(w => w.Owner == "Deployment"))
        {
            var selector = new Dictionary<string, string> { ["app"] = plan.Name };
            cluster.AddService(plan.Name == "coredns"
                ? Service(plan.Namespace, "kube-dns", "172.20.0.10", selector,
                    new V1ServicePort { Name = "dns", Port = 53, TargetPort = "53", Protocol = "UDP" },
                    new V1ServicePort { Name = "dns-tcp", Port = 53, TargetPort = "53", Protocol = "TCP" })
                : Service(plan.Namespace, plan.Name, ClusterIp(), selector, new V1ServicePort { Name = "http", Port = 80, TargetPort = "8080", Protocol = "TCP" }));
        }
    }

    private static List<ContainerSpec> Containers(WorkloadPlan plan, string region)
    {
        var ns = plan.Namespace;
        if (ns == "kube-system")
            return [new ContainerSpec(plan.Name, $"602401143452.dkr.ecr.{region}.amazonaws.com/eks/{plan.Name}:v1.11.3-eksbuild.2", [])];
        var image = $"123456789012.dkr.ecr.{region}.amazonaws.com/{plan.Name}:{(plan.Profile is PodProfile.ImagePullBackOff or PodProfile.ErrImagePull ? "2.4.1-rc0" : "2.4.0")}";
        List<(string, string)> env = [("LOG_LEVEL", "info"), ("PORT", "8080")];
        if (plan.Profile is PodProfile.CrashLoop or PodProfile.ConfigError || plan.Name is "api" or "gateway")
        {
            env.Add(("DATABASE_URL", "postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/app"));
            env.Add(("API_KEY", "secret:api-credentials/api-key"));
            env.Add(("STRIPE_SECRET_KEY", "sk_live_51HxQ2eLkdIwHu7ixyzSECRETVALUE"));
        }
        var memory = plan.Profile is PodProfile.OomKilled or PodProfile.JobOomKilled ? "256Mi" : "512Mi";
        var cpu = plan.Profile == PodProfile.Unschedulable ? "4" : "100m";
        List<ContainerSpec> containers = [new ContainerSpec("app", image, env, cpu, plan.Profile == PodProfile.Unschedulable ? "64Gi" : memory)];
        if (plan.Name is "api" or "frontend") containers.Add(new ContainerSpec("envoy", "public.ecr.aws/envoyproxy/envoy:v1.31.2", []));
        return containers;
    }

    private static V1Deployment Deployment(WorkloadPlan plan, List<ContainerSpec> containers, DateTimeOffset created) => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment",
        Metadata = KubeCluster.Meta(plan.Name, plan.Namespace, created, new Dictionary<string, string> { ["app"] = plan.Name }),
        Spec = new V1DeploymentSpec
        {
            Replicas = plan.Replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = plan.Name } },
            Strategy = new V1DeploymentStrategy { Type = "RollingUpdate" },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = plan.Name } },
                Spec = new V1PodSpec { Containers = [.. containers.Select(c => new V1Container { Name = c.Name, Image = c.Image })] },
            },
        },
    };

    private static void AddEvents(KubeCluster cluster, V1Pod pod)
    {
        var r = cluster.Random;
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        var main = pod.Spec.Containers[0];
        var created = pod.Metadata.CreationTimestamp!.Value;
        var now = cluster.Now.UtcDateTime;
        void Add(string type, string reason, string message, string component, DateTime first, int count) =>
            cluster.AddEvent(KubeObjects.Event(ns, "Pod", name, type, reason, message, component, first, count > 1 ? now - TimeSpan.FromMinutes(r.Next(1, 4)) : first, count, r, pod.Metadata.Uid));

        var profile = cluster.ProfileOf(pod);
        // Events expire after an hour in a real cluster: only the pods that keep failing still have recent ones.
        if (profile is PodProfile.Healthy or PodProfile.Completed) return;
        if (profile != PodProfile.Unschedulable)
            Add("Normal", "Scheduled", $"Successfully assigned {ns}/{name} to {pod.Spec.NodeName}", "default-scheduler", created, 1);
        switch (profile)
        {
            case PodProfile.CrashLoop or PodProfile.OomKilled:
                Add("Normal", "Pulled", $"Container image \"{main.Image}\" already present on machine", "kubelet", created, 40);
                Add("Warning", "BackOff", $"Back-off restarting failed container {main.Name} in pod {name}_{ns}({pod.Metadata.Uid})", "kubelet", created, 300 + r.Next(200));
                break;
            case PodProfile.ImagePullBackOff or PodProfile.ErrImagePull:
                Add("Normal", "Pulling", $"Pulling image \"{main.Image}\"", "kubelet", created, 25);
                Add("Warning", "Failed", $"Failed to pull image \"{main.Image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{main.Image}\": not found", "kubelet", created, 25);
                Add("Warning", "Failed", "Error: ImagePullBackOff", "kubelet", created, 300);
                break;
            case PodProfile.ConfigError:
                Add("Warning", "Failed", $"Error: secret \"{pod.Metadata.Labels["app"]}-db\" not found", "kubelet", created, 80);
                break;
            case PodProfile.Unschedulable:
                Add("Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", "default-scheduler", created, 120);
                break;
            case PodProfile.Evicted:
                Add("Warning", "Evicted", pod.Status.Message.Trim(), "kubelet", created, 1);
                break;
            case PodProfile.NotReady:
                Add("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet", created, 900);
                break;
            case PodProfile.JobOomKilled:
                Add("Normal", "Started", $"Started container {main.Name}", "kubelet", created, 1);
                break;
        }
    }
}
