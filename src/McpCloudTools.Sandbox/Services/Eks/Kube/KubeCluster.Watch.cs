using k8s;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>One change kept for watches: its resource version, type, the object as it was, and what selectors read.</summary>
/// <param name="Version">The resource version the change made.</param>
/// <param name="Type">ADDED, MODIFIED or DELETED.</param>
/// <param name="Kind">Pod, Deployment, ReplicaSet, Service, Endpoints, Event.</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Labels">Its labels then.</param>
/// <param name="Fields">Its selectable fields then.</param>
/// <param name="Json">The object then, as the API serves it.</param>
public sealed record KubeChange(long Version, string Type, string Kind, string? Namespace, IReadOnlyDictionary<string, string>? Labels,
    IReadOnlyDictionary<string, string?> Fields, string Json);

// The change log behind watches: every change after the seed, bounded, with a signal for waiting watchers.
public sealed partial class KubeCluster
{
    private const int MaxChanges = 20_000;
    private readonly List<KubeChange> _changes = [];
    private long _recordedFrom = long.MaxValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts keeping changes (after the seed, whose objects a watch gets from a list).</summary>
    internal void StartRecording()
    {
        lock (_gate) _recordedFrom = _resourceVersion;
    }

    /// <summary>
    /// The changes after <paramref name="version"/> (settling starting pods first), the current version, whether the
    /// version is older than the changes kept (a watch from it gets 410 Gone), and a task that completes on the next change.
    /// </summary>
    public (IReadOnlyList<KubeChange> Changes, long Current, bool TooOld, Task Next) ChangesSince(long version)
    {
        lock (_gate)
        {
            SettleLocked();
            if (version < _recordedFrom) return ([], _resourceVersion, true, _changed.Task);
            var first = _changes.FindIndex(c => c.Version > version);
            return (first < 0 ? [] : _changes[first..], _resourceVersion, false, _changed.Task);
        }
    }

    private void RecordLocked(string type, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (_recordedFrom == long.MaxValue) return;
        var meta = obj.Metadata;
        _changes.Add(new KubeChange(long.Parse(meta.ResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture), type, obj.Kind,
            meta.NamespaceProperty, meta.Labels is null ? null : new Dictionary<string, string>(meta.Labels),
            KubeFields.Snapshot(obj), KubeJson.Serialize(obj)));
        if (_changes.Count > MaxChanges)
        {
            _recordedFrom = _changes[MaxChanges / 2 - 1].Version;
            _changes.RemoveRange(0, MaxChanges / 2);
        }
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}

/// <summary>The fields each kind can be selected by (<c>fieldSelector</c>), in one place for lists and watches.</summary>
public static class KubeFields
{
    /// <summary>Pods.</summary>
    public static readonly string[] Pod = ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"];

    /// <summary>Events.</summary>
    public static readonly string[] Event = ["metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "reason", "reportingComponent", "source", "type"];

    /// <summary>Nodes.</summary>
    public static readonly string[] Node = ["metadata.name", "spec.unschedulable"];

    /// <summary>Namespaces.</summary>
    public static readonly string[] Namespace = ["metadata.name", "status.phase"];

    /// <summary>Every other kind.</summary>
    public static readonly string[] Names = ["metadata.name", "metadata.namespace"];

    /// <summary>The selectable fields of <paramref name="kind"/>.</summary>
    public static IReadOnlyCollection<string> Of(string kind) => kind switch
    {
        "Pod" => Pod, "Event" => Event, "Node" => Node, "Namespace" => Namespace, _ => Names,
    };

    /// <summary>One field of an object, as a string (null when absent).</summary>
    public static string? Get(object item, string field) => (item, field) switch
    {
        (IKubernetesObject<V1ObjectMeta> o, "metadata.name") => o.Metadata.Name,
        (IKubernetesObject<V1ObjectMeta> o, "metadata.namespace") => o.Metadata.NamespaceProperty,
        (V1Pod p, "spec.nodeName") => p.Spec.NodeName,
        (V1Pod p, "spec.restartPolicy") => p.Spec.RestartPolicy,
        (V1Pod, "spec.schedulerName") => "default-scheduler",
        (V1Pod p, "spec.serviceAccountName") => p.Spec.ServiceAccountName,
        (V1Pod p, "status.phase") => p.Status?.Phase,
        (V1Pod p, "status.podIP") => p.Status?.PodIP,
        (Corev1Event e, "involvedObject.kind") => e.InvolvedObject.Kind,
        (Corev1Event e, "involvedObject.namespace") => e.InvolvedObject.NamespaceProperty,
        (Corev1Event e, "involvedObject.name") => e.InvolvedObject.Name,
        (Corev1Event e, "involvedObject.uid") => e.InvolvedObject.Uid,
        (Corev1Event e, "involvedObject.apiVersion") => e.InvolvedObject.ApiVersion,
        (Corev1Event e, "reason") => e.Reason,
        (Corev1Event e, "reportingComponent") => e.ReportingComponent,
        (Corev1Event e, "source") => e.Source?.Component,
        (Corev1Event e, "type") => e.Type,
        (V1Node n, "spec.unschedulable") => (n.Spec?.Unschedulable ?? false) ? "true" : "false",
        (V1Namespace n, "status.phase") => n.Status?.Phase,
        _ => null,
    };

    /// <summary>The selectable fields of an object as they are now.</summary>
    public static IReadOnlyDictionary<string, string?> Snapshot(IKubernetesObject<V1ObjectMeta> obj) =>
        Of(obj.Kind).ToDictionary(f => f, f => Get(obj, f), StringComparer.Ordinal);
}
