using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

// How a new pod starts: scheduled and ContainerCreating (restarts 0), pulling, running but not ready yet, then the
// state its profile implies; each step at a few sandbox seconds, with the kubelet's events.
public sealed partial class KubeCluster
{
    /// <summary>Sandbox time from a new pod's creation to its pull starting, running, and its steady state.</summary>
    internal static readonly TimeSpan[] StartSteps = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)];

    private readonly Dictionary<string, StartingPod> _starting = new(StringComparer.Ordinal);

    private sealed class StartingPod(DateTimeOffset created, V1PodStatus steady, PodProfile profile)
    {
        public DateTimeOffset Created { get; } = created;
        public V1PodStatus Steady { get; } = steady;
        public PodProfile Profile { get; } = profile;
        public int Step { get; set; }
    }

    // Profiles whose containers never run: they settle one step earlier, in their waiting state.
    private static bool NeverRuns(PodProfile profile) =>
        profile is PodProfile.ImagePullBackOff or PodProfile.ErrImagePull or PodProfile.ConfigError;

    private void BeginStartLocked(V1Pod pod, PodProfile profile, DateTimeOffset created)
    {
        var steady = pod.Status;
        // A new pod has not restarted yet; a crashing one has crashed once by the time it settles.
        foreach (var status in steady.ContainerStatuses ?? [])
        {
            status.RestartCount = profile is PodProfile.CrashLoop or PodProfile.OomKilled && status == steady.ContainerStatuses![0] ? 1 : 0;
            if (profile is not (PodProfile.CrashLoop or PodProfile.OomKilled)) status.LastState = null;
        }
        if (profile == PodProfile.Unschedulable) return;
        pod.Status = Transitional(pod, steady, created, step: 0);
        _starting[Key(pod.Metadata)] = new StartingPod(created, steady, profile);
        AddEventLocked(pod.Metadata.NamespaceProperty, "Pod", pod.Metadata.Name, "Normal", "Scheduled",
            $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {pod.Spec.NodeName}", "default-scheduler", pod.Metadata.Uid);
    }

    /// <summary>Moves starting pods on to where sandbox time has brought them (call under the lock).</summary>
    private void SettleLocked()
    {
        if (_starting.Count == 0) return;
        var at = now();
        foreach (var (key, start) in _starting.ToList())
        {
            if (!_pods.TryGetValue(key, out var pod))
            {
                _starting.Remove(key);
                continue;
            }
            var last = NeverRuns(start.Profile) ? 2 : 3;
            var step = Math.Min(last, StartSteps.Count(s => at - start.Created >= s));
            if (step == start.Step) continue;
            for (var s = start.Step + 1; s <= step; s++) StepEventsLocked(pod, start, s, s == last);
            start.Step = step;
            pod.Status = step == last ? start.Steady : Transitional(pod, start.Steady, start.Created, step);
            pod.Metadata.ResourceVersion = NextVersion();
            RecordLocked("MODIFIED", pod);
            if (step == last) _starting.Remove(key);
            if (AppOf(pod) is { } app && _workloads.TryGetValue(pod.Metadata.NamespaceProperty + "/" + app, out var workload))
                UpdateDeploymentStatusLocked(workload);
        }
    }

    private void StepEventsLocked(V1Pod pod, StartingPod start, int step, bool final)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var main = pod.Spec.Containers[0];
        void Add(string type, string reason, string message) =>
            AddEventLocked(ns, "Pod", pod.Metadata.Name, type, reason, message, "kubelet", pod.Metadata.Uid);
        switch (step)
        {
            case 1:
                Add("Normal", "Pulling", $"Pulling image \"{main.Image}\"");
                break;
            case 2 when final:
                var waiting = start.Steady.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
                Add("Warning", "Failed", waiting?.Reason == "CreateContainerConfigError" ? $"Error: {waiting.Message}" : $"Failed to pull image \"{main.Image}\": {waiting?.Message}");
                break;
            case 2:
                Add("Normal", "Pulled", $"Successfully pulled image \"{main.Image}\" in 1.8s (1.8s including waiting)");
                foreach (var c in pod.Spec.Containers)
                {
                    Add("Normal", "Created", $"Created container {c.Name}");
                    Add("Normal", "Started", $"Started container {c.Name}");
                }
                break;
            case 3 when start.Profile is PodProfile.CrashLoop or PodProfile.OomKilled:
                Add("Warning", "BackOff", $"Back-off restarting failed container {main.Name} in pod {pod.Metadata.Name}_{ns}({pod.Metadata.Uid})");
                break;
            case 3 when start.Profile == PodProfile.NotReady:
                Add("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503");
                break;
        }
    }

    // Step 0: scheduled, containers being created; 1: pulling (initialized); 2: running, not ready yet.
    private static V1PodStatus Transitional(V1Pod pod, V1PodStatus steady, DateTimeOffset created, int step)
    {
        var at = created.UtcDateTime;
        V1PodCondition Condition(string type, bool ok, string? reason = null) => new()
        {
            Type = type, Status = ok ? "True" : "False", LastTransitionTime = at, Reason = ok ? null : reason,
            Message = ok || reason is null ? null : $"containers with unready status: [{string.Join(' ', pod.Spec.Containers.Select(c => c.Name))}]",
        };
        var running = step >= 2;
        return new V1PodStatus
        {
            Phase = running ? "Running" : "Pending", QosClass = steady.QosClass, StartTime = at, HostIP = steady.HostIP,
            PodIP = step >= 1 ? steady.PodIP : null,
            Conditions = [Condition("Initialized", step >= 1, "PodNotInitialized"), Condition("Ready", false, "ContainersNotReady"),
                Condition("ContainersReady", false, "ContainersNotReady"), Condition("PodScheduled", true)],
            ContainerStatuses = [.. pod.Spec.Containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name, Image = c.Image, ImageID = running ? steady.ContainerStatuses?.FirstOrDefault(s => s.Name == c.Name)?.ImageID ?? "" : "",
                ContainerID = running ? steady.ContainerStatuses?.FirstOrDefault(s => s.Name == c.Name)?.ContainerID : null,
                Ready = false, Started = running, RestartCount = 0,
                State = running
                    ? new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = (created + StartSteps[1]).UtcDateTime } }
                    : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
            })],
        };
    }
}
