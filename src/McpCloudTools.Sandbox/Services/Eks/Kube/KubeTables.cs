using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
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

[JsonConverter(typeof(KubeTableRowConverter))]
public sealed class KubeTableRow
{
    public List<string> Cells { get; set; } = [];

    /// <summary>
    /// Per <c>includeObject</c>: the object's metadata as a <c>PartialObjectMetadata</c> (the default), the whole object,
    /// or null; as JSON, written into the row as it is (a 20,000-pod listing is 20,000 of them).
    /// </summary>
    public string? ObjectJson { get; set; }
}

/// <summary>Writes a row as <c>{"cells":[…],"object":…}</c> with the object's JSON spliced in unparsed.</summary>
public sealed class KubeTableRowConverter : JsonConverter<KubeTableRow>
{
    public override KubeTableRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The sandbox writes tables; it does not read them.");

    public override void Write(Utf8JsonWriter writer, KubeTableRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        foreach (var cell in value.Cells) writer.WriteStringValue(cell);
        writer.WriteEndArray();
        if (value.ObjectJson is { } json)
        {
            writer.WritePropertyName("object");
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        writer.WriteEndObject();
    }
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
    /// <summary>The <c>includeObject</c> values the API server accepts, the default first.</summary>
    public static readonly string[] IncludeObjectValues = ["Metadata", "None", "Object"];

    /// <summary>The table of <paramref name="items"/>.</summary>
    /// <param name="items">The rows' objects.</param>
    /// <param name="meta">An object's metadata.</param>
    /// <param name="now">Sandbox time, for the age columns.</param>
    /// <param name="listMeta">The list's resource version and continue token.</param>
    /// <param name="includeObject"><c>Metadata</c>, <c>None</c> or <c>Object</c>: what each row carries besides its cells.</param>
    public static KubeTable For<T>(IReadOnlyList<T> items, Func<T, V1ObjectMeta> meta, DateTimeOffset now, KubeListMeta listMeta, string includeObject = "Metadata")
    {
        var (columns, cells) = typeof(T).Name switch
        {
            nameof(V1Pod) => (new[] { "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates" },
                (Func<object, string[]>)(o => PodCells((V1Pod)o, now))),
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
            // The API server prints wide: the columns kubectl shows only with -o wide come with priority 1.
            ColumnDefinitions = [.. columns.Select((c, i) => new KubeTableColumn
            {
                Name = c, Format = i == 0 && c == "Name" ? "name" : "", Priority = typeof(T) == typeof(V1Pod) && i >= 5 ? 1 : 0,
            })],
            Rows = [.. items.Select(item => new KubeTableRow { Cells = [.. cells(item!)], ObjectJson = RowObject(item!, meta(item), includeObject) })],
        };
    }

    private static string? RowObject(object item, V1ObjectMeta meta, string includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => KubeJson.Serialize(item),
        _ => """{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":""" + KubeJson.Serialize(meta) + "}",
    };

    /// <summary>
    /// The pod row as the API server prints it (Kubernetes <c>printPod</c>, 1.31): READY counts started sidecars (init
    /// containers with <c>restartPolicy: Always</c>); STATUS is the pod reason, then the failing init container, then the
    /// containers' waiting or terminated reasons (the first container's wins), Terminating last; RESTARTS leaves out the
    /// restarts of init containers once the pod is initialised, and says when the last one was.
    /// </summary>
    public static string[] PodCells(V1Pod pod, DateTimeOffset now)
    {
        var status = pod.Status ?? new V1PodStatus();
        var sidecars = (pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var total = (pod.Spec?.Containers?.Count ?? 0) + sidecars.Count;
        var ready = 0;
        var restarts = 0;
        var sidecarRestarts = 0;
        DateTime? lastRestart = null, lastSidecarRestart = null;
        var phase = status.Phase ?? "";
        var reason = status.Reason is { Length: > 0 } r ? r : phase;
        if (status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated") == true) reason = "SchedulingGated";

        var inits = status.InitContainerStatuses ?? [];
        var initializing = false;
        for (var i = 0; i < inits.Count; i++)
        {
            var c = inits[i];
            restarts += c.RestartCount;
            lastRestart = Later(lastRestart, c.LastState?.Terminated?.FinishedAt);
            var sidecar = sidecars.Contains(c.Name);
            if (sidecar)
            {
                sidecarRestarts += c.RestartCount;
                lastSidecarRestart = Later(lastSidecarRestart, c.LastState?.Terminated?.FinishedAt);
            }
            if (c.State?.Terminated is { ExitCode: 0 }) continue;
            if (sidecar && c.Started == true)
            {
                if (c.Ready) ready++;
                continue;
            }
            reason = c.State switch
            {
                { Terminated: { } t } => "Init:" + (t.Reason is { Length: > 0 } tr ? tr : t.Signal is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{t.ExitCode}"),
                { Waiting.Reason: { Length: > 0 } w } when w != "PodInitializing" => "Init:" + w,
                _ => $"Init:{i}/{pod.Spec?.InitContainers?.Count ?? inits.Count}",
            };
            initializing = true;
            break;
        }

        if (!initializing || status.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true)
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                restarts += c.RestartCount;
                lastRestart = Later(lastRestart, c.LastState?.Terminated?.FinishedAt);
                if (c.State?.Waiting?.Reason is { Length: > 0 } w) reason = w;
                else if (c.State?.Terminated is { } t)
                    reason = t.Reason is { Length: > 0 } tr ? tr : t.Signal is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{t.ExitCode}";
                else if (c.Ready && c.State?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning)
                reason = status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "Running" : "NotReady";
        }

        if (pod.Metadata.DeletionTimestamp is not null && status.Reason == "NodeLost") reason = "Unknown";
        else if (pod.Metadata.DeletionTimestamp is not null && phase is not ("Succeeded" or "Failed")) reason = "Terminating";

        var restartText = restarts.ToString(CultureInfo.InvariantCulture) + (restarts != 0 && lastRestart is { } last ? $" ({Age(last, now)} ago)" : "");
        var ip = status.PodIPs is { Count: > 0 } ips && ips[0].Ip is { Length: > 0 } first ? first : status.PodIP is { Length: > 0 } single ? single : "<none>";
        return [pod.Metadata.Name, $"{ready}/{total}", reason, restartText, Age(pod.Metadata, now), ip,
            pod.Spec?.NodeName is { Length: > 0 } node ? node : "<none>", status.NominatedNodeName is { Length: > 0 } nominated ? nominated : "<none>",
            pod.Spec?.ReadinessGates is { Count: > 0 } gates
                ? $"{gates.Count(g => status.Conditions?.Any(c => c.Type == g.ConditionType && c.Status == "True") == true)}/{gates.Count}" : "<none>"];
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

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
