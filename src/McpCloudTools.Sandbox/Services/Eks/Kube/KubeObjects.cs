using System.Globalization;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>A container of a seeded workload: image, resources and environment.</summary>
/// <param name="Name">Container name.</param>
/// <param name="Image">Image reference.</param>
/// <param name="Env">Environment: literal values, or <c>secret:NAME/KEY</c> for a secretKeyRef.</param>
/// <param name="CpuRequest">CPU request (<c>100m</c>).</param>
/// <param name="MemoryLimit">Memory limit (<c>256Mi</c>).</param>
public sealed record ContainerSpec(string Name, string Image, IReadOnlyList<(string Name, string Value)> Env,
    string CpuRequest = "100m", string MemoryLimit = "256Mi");

/// <summary>Builds Kubernetes objects as the API server and kubelet would report them for each pod profile.</summary>
public static class KubeObjects
{
    /// <summary>A pod of <paramref name="workload"/> with the status its profile implies.</summary>
    public static V1Pod Pod(KubeWorkload workload, string podName, DateTimeOffset created, DateTimeOffset now,
        IReadOnlyList<ContainerSpec> containers, string? nodeName, string? ownerKind, string? ownerName, Random r)
    {
        var profile = workload.Profile;
        var labels = new Dictionary<string, string> { ["app"] = workload.Name };
        if (ownerKind == "ReplicaSet") labels["pod-template-hash"] = workload.TemplateHash;
        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = KubeCluster.Meta(podName, workload.Namespace, created, labels),
            Spec = new V1PodSpec
            {
                NodeName = profile == PodProfile.Unschedulable ? null : nodeName,
                RestartPolicy = profile is PodProfile.Completed or PodProfile.JobOomKilled ? "Never" : "Always",
                ServiceAccountName = "default",
                Containers = [.. containers.Select(ToContainer)],
            },
        };
        if (ownerKind is not null)
        {
            pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = ownerKind, Name = ownerName, Uid = Guid.NewGuid().ToString(), Controller = true }];
            if (ownerKind == "Job") pod.Metadata.OwnerReferences[0].ApiVersion = "batch/v1";
        }
        var started = created + TimeSpan.FromSeconds(8 + r.Next(20));
        var podIp = $"10.0.{r.Next(1, 63)}.{r.Next(2, 254)}";
        var status = pod.Status = new V1PodStatus
        {
            Phase = "Running", QosClass = "Burstable", StartTime = created.UtcDateTime,
            PodIP = profile == PodProfile.Unschedulable ? null : podIp, HostIP = nodeName is null ? null : $"10.0.{r.Next(1, 63)}.{r.Next(2, 254)}",
        };
        var scheduled = Condition("PodScheduled", true, created);
        var initialized = Condition("Initialized", true, created);
        var readyTrue = Condition("Ready", true, started);
        var notReady = Condition("Ready", false, started, "ContainersNotReady", $"containers with unready status: [{containers[0].Name}]");
        var containersNotReady = Condition("ContainersReady", false, started, "ContainersNotReady", $"containers with unready status: [{containers[0].Name}]");
        List<V1ContainerStatus> statuses = [.. containers.Select(c => new V1ContainerStatus
        {
            Name = c.Name, Image = c.Image, ImageID = c.Image + "@sha256:" + Sha(r), ContainerID = "containerd://" + Sha(r),
            Ready = true, Started = true, RestartCount = profile == PodProfile.Healthy && r.Next(10) == 0 ? r.Next(1, 3) : 0,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started.UtcDateTime } },
        })];
        var main = statuses[0];
        var lastStart = now - TimeSpan.FromMinutes(r.Next(2, 5));
        switch (profile)
        {
            case PodProfile.Healthy:
                status.Conditions = [initialized, readyTrue, Condition("ContainersReady", true, started), scheduled];
                break;
            case PodProfile.NotReady:
                main.Ready = false;
                status.Conditions = [initialized, notReady, containersNotReady, scheduled];
                break;
            case PodProfile.CrashLoop or PodProfile.OomKilled:
                var oom = profile == PodProfile.OomKilled;
                main.Ready = false;
                main.Started = false;
                main.RestartCount = r.Next(8, 60);
                main.State = Waiting("CrashLoopBackOff", $"back-off 5m0s restarting failed container={main.Name} pod={podName}");
                main.LastState = new V1ContainerState
                {
                    Terminated = new V1ContainerStateTerminated
                    {
                        ExitCode = oom ? 137 : 1, ContainerID = main.ContainerID, StartedAt = lastStart.UtcDateTime,
                        FinishedAt = (lastStart + TimeSpan.FromSeconds(oom ? 41 : 6)).UtcDateTime, Reason = oom ? "OOMKilled" : "Error",
                    },
                };
                status.Conditions = [initialized, notReady, containersNotReady, scheduled];
                break;
            case PodProfile.ImagePullBackOff or PodProfile.ErrImagePull:
                status.Phase = "Pending";
                main.Ready = false;
                main.Started = false;
                main.ImageID = "";
                main.ContainerID = null;
                main.State = profile == PodProfile.ErrImagePull
                    ? Waiting("ErrImagePull", $"failed to pull and unpack image \"{main.Image}\": failed to resolve reference \"{main.Image}\": not found")
                    : Waiting("ImagePullBackOff", $"Back-off pulling image \"{main.Image}\"");
                status.Conditions = [initialized, notReady, containersNotReady, scheduled];
                break;
            case PodProfile.ConfigError:
                status.Phase = "Pending";
                main.Ready = false;
                main.Started = false;
                main.ContainerID = null;
                main.State = Waiting("CreateContainerConfigError", $"secret \"{workload.Name}-db\" not found");
                status.Conditions = [initialized, notReady, containersNotReady, scheduled];
                break;
            case PodProfile.Unschedulable:
                status.Phase = "Pending";
                status.StartTime = null;
                status.QosClass = "Guaranteed";
                statuses = [];
                status.Conditions = [Condition("PodScheduled", false, created, "Unschedulable",
                    "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")];
                break;
            case PodProfile.Evicted:
                status.Phase = "Failed";
                status.Reason = "Evicted";
                status.Message = "The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 512Mi. Container "
                    + $"{main.Name} was using 2342Mi, request is 0, has larger consumption of ephemeral-storage. ";
                status.PodIP = null;
                main.Ready = false;
                main.Started = false;
                main.State = new V1ContainerState { Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = 137, Reason = "ContainerStatusUnknown", Message = "The container could not be located when the pod was terminated",
                } };
                status.Conditions = [Condition("DisruptionTarget", true, started, "TerminationByKubelet", "The node was low on resource: ephemeral-storage."),
                    initialized, Condition("Ready", false, started, "PodFailed"), Condition("ContainersReady", false, started, "PodFailed"), scheduled];
                break;
            case PodProfile.Terminating:
                pod.Metadata.DeletionTimestamp = (now - TimeSpan.FromMinutes(47)).UtcDateTime;
                pod.Metadata.DeletionGracePeriodSeconds = 30;
                pod.Metadata.Finalizers = ["example.com/drain-connections"];
                status.Conditions = [initialized, readyTrue, Condition("ContainersReady", true, started), scheduled];
                break;
            case PodProfile.Completed:
                status.Phase = "Succeeded";
                status.QosClass = "BestEffort";
                status.PodIP = null;
                main.Ready = false;
                main.Started = false;
                main.State = new V1ContainerState { Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = 0, Reason = "Completed", StartedAt = started.UtcDateTime, FinishedAt = (started + TimeSpan.FromMinutes(3)).UtcDateTime,
                } };
                status.Conditions = [initialized, Condition("Ready", false, started, "PodCompleted"), scheduled];
                break;
            case PodProfile.JobOomKilled:
                status.Phase = "Failed";
                main.Ready = false;
                main.Started = false;
                main.State = new V1ContainerState { Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = 137, Reason = "OOMKilled", StartedAt = started.UtcDateTime, FinishedAt = (started + TimeSpan.FromSeconds(95)).UtcDateTime,
                } };
                status.Conditions = [initialized, Condition("Ready", false, started, "PodFailed"), scheduled];
                break;
        }
        status.ContainerStatuses = statuses.Count == 0 ? null : statuses;
        return pod;
    }

    /// <summary>A worker node of a managed node group.</summary>
    public static V1Node Node(string name, string nodegroup, string instanceType, string zone, string kubeletVersion,
        DateTimeOffset created, bool ready, bool memoryPressure, string capacityType)
    {
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = instanceType, ["topology.kubernetes.io/zone"] = zone,
            ["eks.amazonaws.com/nodegroup"] = nodegroup, ["eks.amazonaws.com/capacityType"] = capacityType,
        };
        var (cpu, memory) = instanceType.Contains("xlarge", StringComparison.Ordinal) ? ("4", "16069Mi") : ("2", "7949Mi");
        var (cpuAlloc, memoryAlloc) = cpu == "4" ? ("3920m", "14967Mi") : ("1930m", "7045Mi");
        var at = created.UtcDateTime;
        return new V1Node
        {
            ApiVersion = "v1", Kind = "Node",
            Metadata = KubeCluster.Meta(name, null, created, labels),
            Spec = new V1NodeSpec { ProviderID = $"aws:///{zone}/i-0{Convert.ToHexStringLower(BitConverter.GetBytes(name.GetHashCode(StringComparison.Ordinal)))}a1b2c3d" },
            Status = new V1NodeStatus
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new("29"), ["ephemeral-storage"] = new("20959212Ki") },
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuAlloc), ["memory"] = new(memoryAlloc), ["pods"] = new("29"), ["ephemeral-storage"] = new("18242267924") },
                Conditions =
                [
                    NodeCondition("MemoryPressure", memoryPressure ? "True" : "False", at,
                        memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                        memoryPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available"),
                    NodeCondition("DiskPressure", "False", at, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    NodeCondition("PIDPressure", "False", at, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    ready
                        ? NodeCondition("Ready", "True", at, "KubeletReady", "kubelet is posting ready status")
                        : NodeCondition("Ready", "Unknown", at, "NodeStatusUnknown", "Kubelet stopped posting node status."),
                ],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64", ContainerRuntimeVersion = "containerd://1.7.22", KernelVersion = "5.10.227-219.884.amzn2.x86_64",
                    KubeletVersion = kubeletVersion, KubeProxyVersion = kubeletVersion, OperatingSystem = "linux",
                    OsImage = "Amazon Linux 2", MachineID = "ec2" + name.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture),
                    SystemUUID = "ec2-system-uuid", BootID = "boot",
                },
                Addresses = [new V1NodeAddress { Address = name.Replace("ip-", "", StringComparison.Ordinal).Split('.')[0].Replace('-', '.'), Type = "InternalIP" },
                    new V1NodeAddress { Address = name, Type = "Hostname" }],
            },
        };
    }

    /// <summary>A core/v1 event about an object.</summary>
    public static Corev1Event Event(string ns, string kind, string objectName, string type, string reason, string message,
        string component, DateTime first, DateTime last, int count, Random r, string? objectUid = null) => new()
    {
        ApiVersion = "v1", Kind = "Event",
        Metadata = new V1ObjectMeta
        {
            Name = $"{objectName}.{r.NextInt64(0x100000000000, 0xFFFFFFFFFFFF).ToString("x", CultureInfo.InvariantCulture)}",
            NamespaceProperty = ns, CreationTimestamp = first, Uid = Guid.NewGuid().ToString(),
        },
        // The object's uid too: kubectl describe finds an object's events by name, namespace, kind and uid.
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = objectName, NamespaceProperty = ns, ApiVersion = kind == "Pod" ? "v1" : "apps/v1", Uid = objectUid },
        Type = type, Reason = reason, Message = message, Count = count,
        FirstTimestamp = first, LastTimestamp = last,
        Source = new V1EventSource { Component = component },
        ReportingComponent = component, ReportingInstance = "",
    };

    private static V1Container ToContainer(ContainerSpec c) => new()
    {
        Name = c.Name, Image = c.Image, ImagePullPolicy = "IfNotPresent",
        Ports = c.Name == "app" ? [new V1ContainerPort { ContainerPort = 8080, Name = "http", Protocol = "TCP" }] : null,
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(c.CpuRequest), ["memory"] = new("128Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(c.MemoryLimit) },
        },
        Env = c.Env.Count == 0 ? null : [.. c.Env.Select(e => e.Value.StartsWith("secret:", StringComparison.Ordinal)
            ? new V1EnvVar { Name = e.Name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector
                { Name = e.Value[7..].Split('/')[0], Key = e.Value[7..].Split('/')[1] } } }
            : new V1EnvVar { Name = e.Name, Value = e.Value })],
    };

    private static V1PodCondition Condition(string type, bool status, DateTimeOffset at, string? reason = null, string? message = null) =>
        new() { Status = status ? "True" : "False", Type = type, LastTransitionTime = at.UtcDateTime, Reason = reason, Message = message };

    private static V1NodeCondition NodeCondition(string type, string status, DateTime at, string reason, string message) => new()
    {
        Type = type, Status = status, LastHeartbeatTime = at, LastTransitionTime = at, Reason = reason, Message = message,
    };

    private static V1ContainerState Waiting(string reason, string message) =>
        new() { Waiting = new V1ContainerStateWaiting { Message = message, Reason = reason } };

    private static string Sha(Random r) => string.Concat(Enumerable.Range(0, 64).Select(_ => "0123456789abcdef"[r.Next(16)]));
}
