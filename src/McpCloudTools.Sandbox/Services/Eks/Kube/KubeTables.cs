using System.Globalization;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>A <c>meta.k8s.io/v1 Table</c>: what <c>kubectl get</c> asks for and prints as is.</summary>
public sealed class KubeTable
{
    public string Kind { get; set; } = "Table";
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";
    public KubeListMeta Metadata { get; set; } = new();
    public List<KubeTableColumn> ColumnDefinitions { get; set; } = [];
    public List<KubeTableRow> Rows { get; set; } = [];
}

public sealed class KubeListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
    public long? RemainingItemCount { get; set; }
}

public sealed class KubeTableColumn
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "string";
    public string Format { get; set; } = "";
    public string Description { get; set; } = "";
    public int Priority { get; set; }
}

public sealed class KubeTableRow
{
#pragma warning disable CA1720 // "object" is the wire name of a table row's object.
    public List<string> Cells { get; set; } = [];
    public KubeRowObject Object { get; set; } = new();
#pragma warning restore CA1720
}

public sealed class KubeRowObject
{
    public string Kind { get; set; } = "PartialObjectMetadata";
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";
    public KubeRowMeta Metadata { get; set; } = new();
}

public sealed class KubeRowMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? CreationTimestamp { get; set; }
}

/// <summary><c>GET /version</c>.</summary>
public sealed class KubeVersionInfo
{
    public string Major { get; set; } = "1";
    public string Minor { get; set; } = "";
    public string GitVersion { get; set; } = "";
    public string Platform { get; set; } = "linux/amd64";
}

/// <summary>Server-side printing for the kinds the sandbox serves, with the columns <c>kubectl get</c> shows.</summary>
public static class KubeTables
{
    /// <summary>The table of <paramref name="items"/>.</summary>
    public static KubeTable For<T>(IReadOnlyList<T> items, Func<T, V1ObjectMeta> meta, DateTimeOffset now, KubeListMeta listMeta)
    {
        var (columns, cells) = typeof(T).Name switch
        {
            nameof(V1Pod) => (new[] { "Name", "Ready", "Status", "Restarts", "Age" }, (Func<object, string[]>)(o => PodCells((V1Pod)o, now))),
            nameof(V1Deployment) => (["Name", "Ready", "Up-to-date", "Available", "Age"], o =>
            {
                var d = (V1Deployment)o;
                return [d.Metadata.Name, $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec.Replicas ?? 0}", N(d.Status?.UpdatedReplicas), N(d.Status?.AvailableReplicas), Age(d.Metadata, now)];
            }),
            nameof(V1Node) => (["Name", "Status", "Roles", "Age", "Version"], o =>
            {
                var n = (V1Node)o;
                var ready = n.Status.Conditions.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
                return [n.Metadata.Name, ready ? "Ready" : "NotReady", "<none>", Age(n.Metadata, now), n.Status.NodeInfo.KubeletVersion];
            }),
            nameof(V1ReplicaSet) => (["Name", "Desired", "Current", "Ready", "Age"], o =>
            {
                var r = (V1ReplicaSet)o;
                return [r.Metadata.Name, N(r.Spec.Replicas), N(r.Status?.Replicas), N(r.Status?.ReadyReplicas), Age(r.Metadata, now)];
            }),
            nameof(V1Service) => (["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"], o =>
            {
                var v = (V1Service)o;
                return [v.Metadata.Name, v.Spec.Type, v.Spec.ClusterIP ?? "<none>", "<none>",
                    string.Join(',', v.Spec.Ports?.Select(p => $"{p.Port}/{p.Protocol}") ?? []), Age(v.Metadata, now)];
            }),
            nameof(V1Endpoints) => (["Name", "Endpoints", "Age"], o =>
            {
                var e = (V1Endpoints)o;
                var all = (e.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).SelectMany(a => (s.Ports ?? []).Select(p => $"{a.Ip}:{p.Port}"))).ToList();
                var shown = all.Count == 0 ? "<none>" : string.Join(',', all.Take(3)) + (all.Count > 3 ? $" + {all.Count - 3} more..." : "");
                return [e.Metadata.Name, shown, Age(e.Metadata, now)];
            }),
            nameof(V1Namespace) => (["Name", "Status", "Age"], o => [((V1Namespace)o).Metadata.Name, ((V1Namespace)o).Status?.Phase ?? "Active", Age(((V1Namespace)o).Metadata, now)]),
            nameof(Corev1Event) => (["Last Seen", "Type", "Reason", "Object", "Message"], o =>
            {
                var e = (Corev1Event)o;
                return [Age(e.LastTimestamp ?? e.Metadata.CreationTimestamp, now), e.Type, e.Reason, $"{e.InvolvedObject.Kind.ToLowerInvariant()}/{e.InvolvedObject.Name}", e.Message];
            }),
            _ => (["Name", "Age"], o => [meta((T)o).Name, Age(meta((T)o), now)]),
        };
        return new KubeTable
        {
            Metadata = listMeta,
            ColumnDefinitions = [.. columns.Select((c, i) => new KubeTableColumn { Name = c, Format = i == 0 && c == "Name" ? "name" : "" })],
            Rows = [.. items.Select(item =>
            {
                var m = meta(item);
                return new KubeTableRow
                {
                    Cells = [.. cells(item!)],
                    Object = new KubeRowObject { Metadata = new KubeRowMeta
                    {
                        Name = m.Name, Namespace = m.NamespaceProperty, Uid = m.Uid, ResourceVersion = m.ResourceVersion,
                        CreationTimestamp = m.CreationTimestamp?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    } },
                };
            })],
        };
    }

    /// <summary>kubectl's pod STATUS column: the waiting/terminated reason of a container, else the pod reason or phase.</summary>
    public static string[] PodCells(V1Pod pod, DateTimeOffset now)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var ready = statuses.Count(s => s.Ready);
        var reason = pod.Status?.Reason ?? pod.Status?.Phase ?? "Unknown";
        foreach (var s in statuses)
        {
            if (s.State?.Waiting?.Reason is { Length: > 0 } w) reason = w;
            else if (s.State?.Terminated?.Reason is { Length: > 0 } t) reason = t;
        }
        if (pod.Metadata.DeletionTimestamp is not null) reason = "Terminating";
        var restarts = statuses.Sum(s => s.RestartCount);
        return [pod.Metadata.Name, $"{ready}/{pod.Spec.Containers.Count}", reason, restarts.ToString(CultureInfo.InvariantCulture), Age(pod.Metadata, now)];
    }

    private static string N(int? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string Age(V1ObjectMeta meta, DateTimeOffset now) => Age(meta.CreationTimestamp, now);

    private static string Age(DateTime? at, DateTimeOffset now)
    {
        if (at is null) return "<unknown>";
        var d = now - new DateTimeOffset(DateTime.SpecifyKind(at.Value, DateTimeKind.Utc));
        return d.TotalMinutes < 2 ? $"{Math.Max(0, (int)d.TotalSeconds)}s" : d.TotalHours < 2 ? $"{(int)d.TotalMinutes}m"
            : d.TotalDays < 2 ? $"{(int)d.TotalHours}h" : $"{(int)d.TotalDays}d";
    }
}

/// <summary>A <c>meta/v1 Status</c> error body (the client library's own model cannot be written).</summary>
public sealed class KubeStatus
{
    public string Kind { get; set; } = "Status";
    public string ApiVersion { get; set; } = "v1";
    public KubeListMeta Metadata { get; set; } = new();
    public string Status { get; set; } = "Failure";
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public KubeStatusDetails? Details { get; set; }
    public int Code { get; set; }
}

public sealed class KubeStatusDetails
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public List<KubeStatusCause>? Causes { get; set; }
}

public sealed class KubeStatusCause
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Field { get; set; }
}
