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
/// The state behind one emulated Kubernetes API: namespaces, nodes, pods, deployments with their ReplicaSets,
/// services with their endpoints, and events, guarded by one lock, with a resource version bumped on every change.
/// Pods created after the seed (a replacement, a scale-up, a restart) start as in a cluster: Pending and
/// ContainerCreating, then running, ready a few sandbox seconds later (<see cref="SettleLocked"/> moves them on
/// whenever the state is read or watched). Changes after the seed are kept for watches.
/// </summary>
public sealed partial class KubeCluster(string name, string gitVersion, Func<DateTimeOffset> now, Random random)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, V1Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private KubeKeyedList<V1Pod>? _podOrder;
    private readonly SortedDictionary<string, KubeWorkload> _workloads = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1ReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Service> _services = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1Endpoints> _endpoints = new(StringComparer.Ordinal);
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

    private long _bytesServed;

    /// <summary>Bytes of response bodies this API has written (what its clients read), for tests and the benchmark.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>Adds to <see cref="BytesServed"/>.</summary>
    public void CountBytesServed(long bytes) => Interlocked.Add(ref _bytesServed, bytes);

    /// <summary>
    /// Whether list and get requests that ask for a server-side Table get one (on, as from a real API server). Off, the
    /// API answers with the objects, as an old server or an aggregated API without a table printer does: a test switch
    /// for clients' fallback.
    /// </summary>
    public bool ServesTables { get; set; } = true;

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
            lock (_gate)
            {
                SettleLocked();
                return _resourceVersion.ToString(CultureInfo.InvariantCulture);
            }
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
            if (workload.Deployment is not null) NewReplicaSetLocked(workload, revision: 1);
            for (var i = 0; i < replicas; i++) AddPodLocked(workload, now() - TimeSpan.FromHours(1 + random.Next(24 * 20)), fresh: false);
            UpdateDeploymentStatusLocked(workload);
        }
    }

    internal void AddService(V1Service service)
    {
        lock (_gate)
        {
            service.Metadata.ResourceVersion = NextVersion();
            _services[Key(service.Metadata)] = service;
            UpdateEndpointsLocked(service);
        }
    }

    internal void SetEndpoints(V1Endpoints endpoints)
    {
        lock (_gate)
        {
            endpoints.Metadata.ResourceVersion = NextVersion();
            _endpoints[Key(endpoints.Metadata)] = endpoints;
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
        lock (_gate)
        {
            SettleLocked();
            return [.. _pods.Values];
        }
    }

    /// <summary>
    /// Pods in the API server's list order with their keys, for paging: one snapshot, kept until a pod is added or
    /// removed (a pod's status changes in place, as in <see cref="Pods"/>).
    /// </summary>
    public KubeKeyedList<V1Pod> PodsInKeyOrder()
    {
        lock (_gate)
        {
            SettleLocked();
            return _podOrder ??= KubeKeyedList.Ordered<V1Pod>([.. _pods.Keys], [.. _pods.Values]);
        }
    }

    /// <summary>Deployments, ordered by namespace then name.</summary>
    public IReadOnlyList<V1Deployment> Deployments()
    {
        lock (_gate)
        {
            SettleLocked();
            return [.. _workloads.Values.Where(w => w.Deployment is not null).Select(w => w.Deployment!)];
        }
    }

    /// <summary>ReplicaSets (the current one of each deployment and the older ones, scaled to 0), by namespace then name.</summary>
    public IReadOnlyList<V1ReplicaSet> ReplicaSets()
    {
        lock (_gate)
        {
            SettleLocked();
            return [.. _replicaSets.Values];
        }
    }

    /// <summary>Services, by namespace then name.</summary>
    public IReadOnlyList<V1Service> Services()
    {
        lock (_gate) return [.. _services.Values];
    }

    /// <summary>Endpoints (the ready and not-ready pod addresses behind each service), by namespace then name.</summary>
    public IReadOnlyList<V1Endpoints> Endpoints()
    {
        lock (_gate)
        {
            SettleLocked();
            return [.. _endpoints.Values];
        }
    }

    /// <summary>Events, ordered by namespace then name.</summary>
    public IReadOnlyList<Corev1Event> Events()
    {
        lock (_gate)
        {
            SettleLocked();
            return [.. _events.Values];
        }
    }

    /// <summary>A namespace exists.</summary>
    public bool HasNamespace(string ns)
    {
        lock (_gate) return _namespaces.ContainsKey(ns);
    }

    /// <summary>One pod.</summary>
    public V1Pod? FindPod(string ns, string name)
    {
        lock (_gate)
        {
            SettleLocked();
            return _pods.GetValueOrDefault(ns + "/" + name);
        }
    }

    /// <summary>One deployment's workload.</summary>
    public KubeWorkload? FindDeployment(string ns, string name)
    {
        lock (_gate)
        {
            SettleLocked();
            return _workloads.GetValueOrDefault(ns + "/" + name) is { Deployment: not null } w ? w : null;
        }
    }

    // ---- writes ----

    /// <summary>Sets a deployment's replicas and brings its pods in line (newest removed first; new ones start up).</summary>
    public V1Deployment Scale(KubeWorkload workload, int replicas)
    {
        lock (_gate)
        {
            SettleLocked();
            var deployment = workload.Deployment!;
            if (deployment.Spec.Replicas != replicas)
            {
                var old = deployment.Spec.Replicas ?? 0;
                deployment.Spec.Replicas = replicas;
                deployment.Metadata.Generation = (deployment.Metadata.Generation ?? 1) + 1;
                var pods = PodsOfLocked(workload);
                for (var i = pods.Count; i < replicas; i++) AddPodLocked(workload, now(), fresh: true);
                foreach (var extra in pods.OrderByDescending(p => p.Metadata.CreationTimestamp).Take(Math.Max(0, pods.Count - replicas)))
                    RemovePodLocked(extra);
                AddEventLocked(workload.Namespace, "Deployment", workload.Name, "Normal", "ScalingReplicaSet",
                    $"Scaled {(replicas > old ? "up" : "down")} replica set {workload.Name}-{workload.TemplateHash} from {old} to {replicas}",
                    "deployment-controller", deployment.Metadata.Uid);
            }
            UpdateDeploymentStatusLocked(workload);
            return deployment;
        }
    }

    /// <summary>
    /// Creates a bare pod (no controller) in an existing namespace, as <c>kubectl run NAME -n NS --image IMAGE</c> does:
    /// healthy and running on a node. Pod names are unique per namespace only, so the same name may exist elsewhere.
    /// </summary>
    public V1Pod RunPod(string ns, string name, string image)
    {
        lock (_gate)
        {
            if (!_namespaces.ContainsKey(ns)) throw new KubeApiException(404, "NotFound", $"namespaces \"{ns}\" not found");
            if (_pods.ContainsKey(ns + "/" + name)) throw new KubeApiException(409, "AlreadyExists", $"pods \"{name}\" already exists");
            var node = NodesUnlocked().Select(n => n.Metadata.Name).FirstOrDefault();
            var workload = new KubeWorkload
            {
                Namespace = ns, Name = name, Profile = PodProfile.Healthy,
                NewPod = (w, _, created) => KubeObjects.Pod(w, name, created, now(), [new ContainerSpec(name, image, [])], node, null, null, random),
            };
            return AddPodLocked(workload, now(), fresh: false);
        }
    }

    /// <summary>A new pod template (e.g. the restartedAt annotation): every pod is replaced by one of a new ReplicaSet.</summary>
    public void Rollout(KubeWorkload workload)
    {
        lock (_gate)
        {
            SettleLocked();
            var deployment = workload.Deployment!;
            deployment.Metadata.Generation = (deployment.Metadata.Generation ?? 1) + 1;
            var oldSet = $"{workload.Name}-{workload.TemplateHash}";
            workload.TemplateHash = Hash(random);
            var revision = _replicaSets.Values.Count(r => r.Metadata.NamespaceProperty == workload.Namespace
                && r.Metadata.OwnerReferences?.Any(o => o.Name == workload.Name) == true) + 1;
            NewReplicaSetLocked(workload, revision);
            var pods = PodsOfLocked(workload);
            foreach (var pod in pods) RemovePodLocked(pod);
            for (var i = 0; i < (deployment.Spec.Replicas ?? 0); i++) AddPodLocked(workload, now(), fresh: true);
            AddEventLocked(workload.Namespace, "Deployment", workload.Name, "Normal", "ScalingReplicaSet",
                $"Scaled up replica set {workload.Name}-{workload.TemplateHash} from 0 to {deployment.Spec.Replicas}", "deployment-controller", deployment.Metadata.Uid);
            AddEventLocked(workload.Namespace, "Deployment", workload.Name, "Normal", "ScalingReplicaSet",
                $"Scaled down replica set {oldSet} from {pods.Count} to 0", "deployment-controller", deployment.Metadata.Uid);
            UpdateDeploymentStatusLocked(workload);
        }
    }

    /// <summary>Deletes a pod; its ReplicaSet (if any) replaces it at once with a new, starting pod. Returns the deleted pod.</summary>
    public V1Pod DeletePod(V1Pod pod)
    {
        lock (_gate)
        {
            SettleLocked();
            pod.Metadata.DeletionTimestamp = now().UtcDateTime;
            pod.Metadata.DeletionGracePeriodSeconds = 30;
            RemovePodLocked(pod);
            var owner = AppOf(pod);
            if (owner is not null && _workloads.TryGetValue(pod.Metadata.NamespaceProperty + "/" + owner, out var workload)
                && workload.Deployment is not null && PodsOfLocked(workload).Count < (workload.Deployment.Spec.Replicas ?? 0))
            {
                var replacement = AddPodLocked(workload, now(), fresh: true);
                var set = $"{workload.Name}-{workload.TemplateHash}";
                AddEventLocked(workload.Namespace, "ReplicaSet", set, "Normal",
                    "SuccessfulCreate", $"Created pod: {replacement.Metadata.Name}", "replicaset-controller", _replicaSets.GetValueOrDefault(workload.Namespace + "/" + set)?.Metadata.Uid);
            }
            if (owner is not null && _workloads.TryGetValue(pod.Metadata.NamespaceProperty + "/" + owner, out var w)) UpdateDeploymentStatusLocked(w);
            return pod;
        }
    }

    /// <summary>Replaces the deployment object after a patch that did not touch the template.</summary>
    public void Touch(V1Deployment deployment)
    {
        lock (_gate)
        {
            deployment.Metadata.ResourceVersion = NextVersion();
            RecordLocked("MODIFIED", deployment);
        }
    }

    private V1Pod AddPodLocked(KubeWorkload workload, DateTimeOffset created, bool fresh)
    {
        var suffix = Suffix(random);
        var pod = workload.NewPod(workload, suffix, created);
        pod.Metadata.ResourceVersion = NextVersion();
        pod.Metadata.Uid ??= Guid.NewGuid().ToString();
        if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet") is { } owner
            && _replicaSets.TryGetValue(workload.Namespace + "/" + owner.Name, out var set))
            owner.Uid = set.Metadata.Uid;
        var key = Key(pod.Metadata);
        _pods[key] = pod;
        _podOrder = null;
        _profiles[key] = workload.Profile;
        if (fresh) BeginStartLocked(pod, workload.Profile, created);
        RecordLocked("ADDED", pod);
        return pod;
    }

    private void RemovePodLocked(V1Pod pod)
    {
        var key = Key(pod.Metadata);
        _pods.Remove(key);
        _podOrder = null;
        _profiles.Remove(key);
        _starting.Remove(key);
        pod.Metadata.ResourceVersion = NextVersion();
        RecordLocked("DELETED", pod);
    }

    private List<V1Pod> PodsOfLocked(KubeWorkload workload) =>
        [.. _pods.Values.Where(p => p.Metadata.NamespaceProperty == workload.Namespace
            && AppOf(p) == workload.Name)];

    private static string? Label(IDictionary<string, string>? labels, string key) => labels is not null && labels.TryGetValue(key, out var v) ? v : null;

    private static bool IsReady(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private void UpdateDeploymentStatusLocked(KubeWorkload workload)
    {
        foreach (var service in _services.Values.Where(s => s.Metadata.NamespaceProperty == workload.Namespace
            && Label(s.Spec.Selector, "app") == workload.Name).ToList())
            UpdateEndpointsLocked(service);
        if (workload.Deployment is not { } deployment) return;
        var pods = PodsOfLocked(workload);
        var ready = pods.Count(IsReady);
        var desired = deployment.Spec.Replicas ?? 0;
        var current = $"{workload.Name}-{workload.TemplateHash}";
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = pods.Count, UpdatedReplicas = pods.Count, ReadyReplicas = ready, AvailableReplicas = ready,
            UnavailableReplicas = Math.Max(0, desired - ready) is var u and > 0 ? u : null,
            Conditions =
            [
                new V1DeploymentCondition { Status = "True", Type = "Progressing", LastUpdateTime = now().UtcDateTime,
                    Reason = "NewReplicaSetAvailable", Message = $"ReplicaSet \"{current}\" has successfully progressed." },
                ready >= desired
                    ? new V1DeploymentCondition { Status = "True", Type = "Available", Reason = "MinimumReplicasAvailable", Message = "Deployment has minimum availability." }
                    : new V1DeploymentCondition { Status = "False", Type = "Available", Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability." },
            ],
        };
        deployment.Metadata.ResourceVersion = NextVersion();
        RecordLocked("MODIFIED", deployment);
        foreach (var set in _replicaSets.Values.Where(r => r.Metadata.NamespaceProperty == workload.Namespace
            && r.Metadata.OwnerReferences?.Any(o => o.Name == workload.Name) == true).ToList())
        {
            var isCurrent = set.Metadata.Name == current;
            set.Spec.Replicas = isCurrent ? desired : 0;
            set.Status = new V1ReplicaSetStatus
            {
                Replicas = isCurrent ? pods.Count : 0, ReadyReplicas = isCurrent ? ready : 0, AvailableReplicas = isCurrent ? ready : 0,
                FullyLabeledReplicas = isCurrent ? pods.Count : 0, ObservedGeneration = set.Metadata.Generation,
            };
            set.Metadata.ResourceVersion = NextVersion();
            RecordLocked("MODIFIED", set);
        }
    }

    private void NewReplicaSetLocked(KubeWorkload workload, int revision)
    {
        var deployment = workload.Deployment!;
        var setName = $"{workload.Name}-{workload.TemplateHash}";
        var labels = new Dictionary<string, string> { ["app"] = workload.Name, ["pod-template-hash"] = workload.TemplateHash };
        var set = new V1ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet",
            Metadata = Meta(setName, workload.Namespace, revision == 1 ? new DateTimeOffset(deployment.Metadata.CreationTimestamp ?? now().UtcDateTime, TimeSpan.Zero) : now(), labels),
            Spec = new V1ReplicaSetSpec
            {
                Replicas = deployment.Spec.Replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = deployment.Spec.Template.Spec },
            },
        };
        set.Metadata.Generation = 1;
        set.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = revision.ToString(CultureInfo.InvariantCulture) };
        set.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = workload.Name, Uid = deployment.Metadata.Uid, Controller = true }];
        set.Metadata.ResourceVersion = NextVersion();
        deployment.Metadata.Annotations ??= new Dictionary<string, string>();
        deployment.Metadata.Annotations["deployment.kubernetes.io/revision"] = revision.ToString(CultureInfo.InvariantCulture);
        _replicaSets[workload.Namespace + "/" + setName] = set;
        RecordLocked("ADDED", set);
    }

    // The endpoints of a service: the addresses of the pods it selects, ready or not.
    private void UpdateEndpointsLocked(V1Service service)
    {
        var ns = service.Metadata.NamespaceProperty;
        // A service without a selector (the API server's own "kubernetes") has endpoints set by hand.
        if (service.Spec.Selector is not { } selector) return;
        var pods = _pods.Values.Where(p => p.Metadata.NamespaceProperty == ns && p.Status?.PodIP is not null
            && p.Metadata.DeletionTimestamp is null && selector.All(kv => Label(p.Metadata.Labels, kv.Key) == kv.Value)).ToList();
        V1EndpointAddress Address(V1Pod p) => new()
        {
            Ip = p.Status.PodIP, NodeName = p.Spec.NodeName,
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Metadata.Name, NamespaceProperty = ns, Uid = p.Metadata.Uid },
        };
        var ready = pods.Where(IsReady).Select(Address).ToList();
        var notReady = pods.Where(p => !IsReady(p)).Select(Address).ToList();
        var key = Key(service.Metadata);
        var existing = _endpoints.GetValueOrDefault(key);
        var endpoints = existing ?? new V1Endpoints
        {
            ApiVersion = "v1", Kind = "Endpoints",
            Metadata = Meta(service.Metadata.Name, ns, new DateTimeOffset(service.Metadata.CreationTimestamp ?? now().UtcDateTime, TimeSpan.Zero),
                service.Metadata.Labels is null ? null : new Dictionary<string, string>(service.Metadata.Labels)),
        };
        endpoints.Subsets = ready.Count + notReady.Count == 0 ? null :
        [
            new V1EndpointSubset
            {
                Addresses = ready.Count == 0 ? null : ready, NotReadyAddresses = notReady.Count == 0 ? null : notReady,
                Ports = [.. service.Spec.Ports.Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.TargetPort?.Value is { } t && int.TryParse(t, out var n) ? n : p.Port, Protocol = p.Protocol })],
            },
        ];
        endpoints.Metadata.ResourceVersion = NextVersion();
        _endpoints[key] = endpoints;
        RecordLocked(existing is null ? "ADDED" : "MODIFIED", endpoints);
    }

    private void AddEventLocked(string ns, string kind, string objectName, string type, string reason, string message, string component, string? uid)
    {
        var at = now().UtcDateTime;
        var e = KubeObjects.Event(ns, kind, objectName, type, reason, message, component, at, at, 1, random, uid);
        e.Metadata.ResourceVersion = NextVersion();
        _events[ns + "/" + e.Metadata.Name] = e;
        RecordLocked("ADDED", e);
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
