using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>How a seeded pod behaves: decides its status, its events and its logs.</summary>
public enum PodProfile
{
    /// <summary>Running and ready.</summary>
    Healthy,
    /// <summary>Running, not ready (readiness probe failing).</summary>
    NotReady,
    /// <summary>Container exits with an error and is restarted with back-off.</summary>
    CrashLoop,
    /// <summary>Container killed for exceeding its memory limit, then back-off.</summary>
    OomKilled,
    /// <summary>Image cannot be pulled (back-off).</summary>
    ImagePullBackOff,
    /// <summary>Image pull just failed.</summary>
    ErrImagePull,
    /// <summary>A referenced secret is missing.</summary>
    ConfigError,
    /// <summary>No node fits its requests.</summary>
    Unschedulable,
    /// <summary>Evicted by the kubelet under node pressure.</summary>
    Evicted,
    /// <summary>Deleted but held by a finalizer.</summary>
    Terminating,
    /// <summary>A job pod that finished.</summary>
    Completed,
    /// <summary>A job pod whose only container was OOM-killed (restartPolicy Never).</summary>
    JobOomKilled,
}

/// <summary>A workload the seeder creates pods for; scale and restart act on it.</summary>
public sealed class KubeWorkload
{
    /// <summary>The deployment object (null for bare job pods).</summary>
    public V1Deployment? Deployment { get; set; }

    /// <summary>Namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>App name (deployment name).</summary>
    public required string Name { get; init; }

    /// <summary>How its pods behave.</summary>
    public required PodProfile Profile { get; init; }

    /// <summary>Pod template hash of the current ReplicaSet.</summary>
    public string TemplateHash { get; set; } = "";

    /// <summary>Builds one pod of this workload.</summary>
    public required Func<KubeWorkload, string, DateTimeOffset, V1Pod> NewPod { get; init; }
}

/// <summary>
/// The state behind one emulated Kubernetes API: namespaces, nodes, pods, deployments and events, guarded by one
/// lock, with a resource version bumped on every change.
/// </summary>
public sealed class KubeCluster(string name, string gitVersion, Func<DateTimeOffset> now, Random random)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, V1Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, KubeWorkload> _workloads = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Corev1Event> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodProfile> _profiles = new(StringComparer.Ordinal);
    private long _resourceVersion = 1000;
    private int _authFailures;

    /// <summary>Cluster name (the <c>x-k8s-aws-id</c> its tokens must carry).</summary>
    public string Name { get; } = name;

    /// <summary><c>v1.31.2-eks-…</c>.</summary>
    public string GitVersion { get; } = gitVersion;

    /// <summary>Sandbox time.</summary>
    public DateTimeOffset Now => now();

    /// <summary>Tokens accepted so far, by token (tests read how often the client made a new one).</summary>
    public ConcurrentDictionary<string, int> AcceptedTokens { get; } = new(StringComparer.Ordinal);

    private int _rejected;

    /// <summary>Requests answered 401, for any reason.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Counts a 401.</summary>
    public void CountRejected() => Interlocked.Increment(ref _rejected);

    /// <summary>Test hook: the next <paramref name="count"/> requests are answered 401 whatever their token.</summary>
    public void RejectNextRequests(int count) => Interlocked.Exchange(ref _authFailures, count);

    /// <summary>Consumes one injected 401, if any remain.</summary>
    public bool TakeInjectedAuthFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _authFailures);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _authFailures, left - 1, left) == left) return true;
        }
    }

    /// <summary>The current resource version as a string.</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate) return _resourceVersion.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Pods in the store.</summary>
    public int PodCount
    {
        get
        {
            lock (_gate) return _pods.Count;
        }
    }

    /// <summary>The profile a pod was created with.</summary>
    public PodProfile ProfileOf(V1Pod pod)
    {
        lock (_gate) return _profiles.GetValueOrDefault(Key(pod.Metadata), PodProfile.Healthy);
    }

    internal Random Random => random;

    // ---- seeding ----

    internal void AddNamespace(string ns, DateTimeOffset created)
    {
        lock (_gate)
        {
            _namespaces[ns] = new V1Namespace
            {
                ApiVersion = "v1", Kind = "Namespace",
                Metadata = Meta(ns, null, created, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns }),
                Status = new V1NamespaceStatus { Phase = "Active" },
            };
        }
    }

    internal void AddNode(V1Node node)
    {
        lock (_gate)
        {
            node.Metadata.ResourceVersion = NextVersion();
            _nodes[node.Metadata.Name] = node;
        }
    }

    internal void AddWorkload(KubeWorkload workload, int replicas)
    {
        lock (_gate)
        {
            _workloads[workload.Namespace + "/" + workload.Name] = workload;
            for (var i = 0; i < replicas; i++) AddPodLocked(workload, now() - TimeSpan.FromHours(1 + random.Next(24 * 20)));
            UpdateDeploymentStatusLocked(workload);
        }
    }

    internal void AddEvent(Corev1Event e)
    {
        lock (_gate)
        {
            e.Metadata.ResourceVersion = NextVersion();
            _events[e.Metadata.NamespaceProperty + "/" + e.Metadata.Name] = e;
        }
    }

    internal IReadOnlyList<V1Node> NodesUnlocked()
    {
        lock (_gate) return [.. _nodes.Values];
    }

    // ---- reads: snapshots under the lock, filtered by the caller ----

    /// <summary>Namespaces.</summary>
    public IReadOnlyList<V1Namespace> Namespaces()
    {
        lock (_gate) return [.. _namespaces.Values];
    }

    /// <summary>Nodes.</summary>
    public IReadOnlyList<V1Node> Nodes() => NodesUnlocked();

    /// <summary>Pods, ordered by namespace then name.</summary>
    public IReadOnlyList<V1Pod> Pods()
    {
        lock (_gate) return [.. _pods.Values];
    }

    /// <summary>Deployments, ordered by namespace then name.</summary>
    public IReadOnlyList<V1Deployment> Deployments()
    {
        lock (_gate) return [.. _workloads.Values.Where(w => w.Deployment is not null).Select(w => w.Deployment!)];
    }

    /// <summary>Events, ordered by namespace then name.</summary>
    public IReadOnlyList<Corev1Event> Events()
    {
        lock (_gate) return [.. _events.Values];
    }

    /// <summary>A namespace exists.</summary>
    public bool HasNamespace(string ns)
    {
        lock (_gate) return _namespaces.ContainsKey(ns);
    }

    /// <summary>One pod.</summary>
    public V1Pod? FindPod(string ns, string name)
    {
        lock (_gate) return _pods.GetValueOrDefault(ns + "/" + name);
    }

    /// <summary>One deployment's workload.</summary>
    public KubeWorkload? FindDeployment(string ns, string name)
    {
        lock (_gate) return _workloads.GetValueOrDefault(ns + "/" + name) is { Deployment: not null } w ? w : null;
    }

    // ---- writes ----

    /// <summary>Sets a deployment's replicas and brings its pods in line (newest removed first).</summary>
    public V1Deployment Scale(KubeWorkload workload, int replicas)
    {
        lock (_gate)
        {
            var deployment = workload.Deployment!;
            if (deployment.Spec.Replicas != replicas)
            {
                var old = deployment.Spec.Replicas ?? 0;
                deployment.Spec.Replicas = replicas;
                deployment.Metadata.Generation = (deployment.Metadata.Generation ?? 1) + 1;
                var pods = PodsOfLocked(workload);
                for (var i = pods.Count; i < replicas; i++) AddPodLocked(workload, now());
                foreach (var extra in pods.OrderByDescending(p => p.Metadata.CreationTimestamp).Take(Math.Max(0, pods.Count - replicas)))
                    RemovePodLocked(extra);
                AddEventLocked(workload.Namespace, "Deployment", workload.Name, "Normal", "ScalingReplicaSet",
                    $"Scaled {(replicas > old ? "up" : "down")} replica set {workload.Name}-{workload.TemplateHash} from {old} to {replicas}",
                    "deployment-controller");
            }
            UpdateDeploymentStatusLocked(workload);
            return deployment;
        }
    }

    /// <summary>A new pod template (e.g. the restartedAt annotation): every pod is replaced by one of a new ReplicaSet.</summary>
    public void Rollout(KubeWorkload workload)
    {
        lock (_gate)
        {
            var deployment = workload.Deployment!;
            deployment.Metadata.Generation = (deployment.Metadata.Generation ?? 1) + 1;
            workload.TemplateHash = Hash(random);
            var pods = PodsOfLocked(workload);
            foreach (var pod in pods) RemovePodLocked(pod);
            for (var i = 0; i < (deployment.Spec.Replicas ?? 0); i++) AddPodLocked(workload, now());
            AddEventLocked(workload.Namespace, "Deployment", workload.Name, "Normal", "ScalingReplicaSet",
                $"Scaled up replica set {workload.Name}-{workload.TemplateHash} from 0 to {deployment.Spec.Replicas}", "deployment-controller");
            UpdateDeploymentStatusLocked(workload);
        }
    }

    /// <summary>Deletes a pod; its ReplicaSet (if any) replaces it at once. Returns the deleted pod.</summary>
    public V1Pod DeletePod(V1Pod pod)
    {
        lock (_gate)
        {
            RemovePodLocked(pod);
            pod.Metadata.DeletionTimestamp = now().UtcDateTime;
            pod.Metadata.DeletionGracePeriodSeconds = 30;
            var owner = AppOf(pod);
            if (owner is not null && _workloads.TryGetValue(pod.Metadata.NamespaceProperty + "/" + owner, out var workload)
                && workload.Deployment is not null && PodsOfLocked(workload).Count < (workload.Deployment.Spec.Replicas ?? 0))
            {
                var replacement = AddPodLocked(workload, now());
                AddEventLocked(workload.Namespace, "ReplicaSet", $"{workload.Name}-{workload.TemplateHash}", "Normal",
                    "SuccessfulCreate", $"Created pod: {replacement.Metadata.Name}", "replicaset-controller");
                UpdateDeploymentStatusLocked(workload);
            }
            return pod;
        }
    }

    /// <summary>Replaces the deployment object after a patch that did not touch the template.</summary>
    public void Touch(V1Deployment deployment)
    {
        lock (_gate) deployment.Metadata.ResourceVersion = NextVersion();
    }

    private V1Pod AddPodLocked(KubeWorkload workload, DateTimeOffset created)
    {
        var suffix = Suffix(random);
        var pod = workload.NewPod(workload, suffix, created);
        pod.Metadata.ResourceVersion = NextVersion();
        pod.Metadata.Uid ??= Guid.NewGuid().ToString();
        var key = Key(pod.Metadata);
        _pods[key] = pod;
        _profiles[key] = workload.Profile;
        return pod;
    }

    private void RemovePodLocked(V1Pod pod)
    {
        var key = Key(pod.Metadata);
        _pods.Remove(key);
        _profiles.Remove(key);
        NextVersion();
    }

    private List<V1Pod> PodsOfLocked(KubeWorkload workload) =>
        [.. _pods.Values.Where(p => p.Metadata.NamespaceProperty == workload.Namespace
            && AppOf(p) == workload.Name)];

    private void UpdateDeploymentStatusLocked(KubeWorkload workload)
    {
        if (workload.Deployment is not { } deployment) return;
        var pods = PodsOfLocked(workload);
        var ready = pods.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var desired = deployment.Spec.Replicas ?? 0;
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = pods.Count, UpdatedReplicas = pods.Count, ReadyReplicas = ready, AvailableReplicas = ready,
            UnavailableReplicas = Math.Max(0, desired - ready) is var u and > 0 ? u : null,
            Conditions =
            [
                new V1DeploymentCondition { Status = "True", Type = "Progressing", LastUpdateTime = now().UtcDateTime,
                    Reason = "NewReplicaSetAvailable", Message = $"ReplicaSet \"{workload.Name}-{workload.TemplateHash}\" has successfully progressed." },
                ready >= desired
                    ? new V1DeploymentCondition { Status = "True", Type = "Available", Reason = "MinimumReplicasAvailable", Message = "Deployment has minimum availability." }
                    : new V1DeploymentCondition { Status = "False", Type = "Available", Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability." },
            ],
        };
        deployment.Metadata.ResourceVersion = NextVersion();
    }

    private void AddEventLocked(string ns, string kind, string objectName, string type, string reason, string message, string component)
    {
        var at = now().UtcDateTime;
        var e = KubeObjects.Event(ns, kind, objectName, type, reason, message, component, at, at, 1, random);
        e.Metadata.ResourceVersion = NextVersion();
        _events[ns + "/" + e.Metadata.Name] = e;
    }

    private static string? AppOf(V1Pod pod) => pod.Metadata.Labels is { } labels && labels.TryGetValue("app", out var app) ? app : null;

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static string Key(V1ObjectMeta meta) => meta.NamespaceProperty + "/" + meta.Name;

    internal static V1ObjectMeta Meta(string name, string? ns, DateTimeOffset created, IDictionary<string, string>? labels = null) => new()
    {
        Name = name, NamespaceProperty = ns, CreationTimestamp = created.UtcDateTime, Uid = Guid.NewGuid().ToString(), Labels = labels,
    };

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A pod-template-hash like <c>7d9f8b6c5</c>.</summary>
    internal static string Hash(Random r) => string.Concat(Enumerable.Range(0, 9).Select(_ => "0123456789abcdef"[r.Next(16)]));

    /// <summary>A pod suffix like <c>x2x9k</c>.</summary>
    internal static string Suffix(Random r) => string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[r.Next(Alphabet.Length)]));
}
