using System.Globalization;
using k8s.Models;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>Namespaces, events, deployments (list, scale, restart) and nodes.</summary>
public sealed class WorkloadService(KubeConnections connections, TimeProvider time)
{
    /// <summary>Namespaces with their phase and age.</summary>
    public async Task<string> NamespacesAsync(ClusterTarget target, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Read(limit, cursor, 100, 500);
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var all = await ScanAsync(connection, "namespaces", async token => (await connection.Api.ListNamespacesAsync(token, KubeCalls.ScanPageSize, ct).ConfigureAwait(false)) is var l
            ? (l.Items, l.Metadata?.ContinueProperty) : default).ConfigureAwait(false);
        var ordered = all.OrderBy(n => n.Status?.Phase == "Active" ? 1 : 0).ThenBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"eks_namespace_list|{target.Cluster.Id}");
        var now = time.GetUtcNow();
        var table = new TextTable("name", "status", "age");
        foreach (var n in items) table.Row(n.Metadata.Name, n.Status?.Phase, Fmt.Age(Utc(n.Metadata.CreationTimestamp), now));
        var terminating = all.Count(n => n.Status?.Phase != "Active");
        return new ToolOutput().Line($"namespaces of {target.Cluster.Id}: {all.Count}" + (terminating > 0 ? $", not Active {terminating}" : ""))
            .Table(table).Page(items.Count, ordered.Count, next, page).ToString();
    }

    /// <summary>Events, warnings first then newest first.</summary>
    public async Task<string> EventsAsync(ClusterTarget target, string? ns, string? objectName, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Read(limit, cursor, 30, 500);
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var all = await ScanAsync(connection, "events", async token =>
        {
            var list = await connection.Api.ListEventsAsync(ns, null, objectName, token, KubeCalls.ScanPageSize, ct).ConfigureAwait(false);
            return (list.Items, list.Metadata?.ContinueProperty);
        }).ConfigureAwait(false);
        var ordered = all.OrderBy(e => e.Type == "Warning" ? 0 : 1).ThenByDescending(e => Last(e)).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"eks_event_list|{target.Cluster.Id}|{ns}|{objectName}");
        var now = time.GetUtcNow();
        var table = new TextTable("type", "reason", "object", "age", "count", "message");
        foreach (var e in items)
            table.Row(e.Type == "Warning" ? "Warning" : "Normal", e.Reason,
                (ns is null ? e.InvolvedObject.NamespaceProperty + "/" : "") + e.InvolvedObject.Kind?.ToLowerInvariant() + "/" + e.InvolvedObject.Name,
                Fmt.Age(Last(e), now), (e.Count ?? 1).ToString(CultureInfo.InvariantCulture), Fmt.Truncate(e.Message ?? "", 150));
        var warnings = all.Count(e => e.Type == "Warning");
        var where = ns is null ? "all namespaces" : $"namespace {ns}";
        var output = new ToolOutput().Line($"events of {target.Cluster.Id} ({where}): {all.Count}; warnings {warnings}"
            + (warnings > 0 ? $" ({Fmt.Counts(all.Where(e => e.Type == "Warning").GroupBy(e => e.Reason ?? "").OrderByDescending(g => g.Count()).Select(g => KeyValuePair.Create(g.Key, g.Count())))})" : ""));
        return output.Table(table).Page(items.Count, ordered.Count, next, page).ToString();
    }

    /// <summary>Deployments, not-fully-ready first.</summary>
    public async Task<string> DeploymentsAsync(ClusterTarget target, string? ns, string? labelSelector, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Read(limit, cursor, 50, 500);
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var all = await ScanAsync(connection, KubeCalls.Listing("deployments", labelSelector), async token =>
        {
            var list = await connection.Api.ListDeploymentsAsync(ns, labelSelector, token, KubeCalls.ScanPageSize, ct).ConfigureAwait(false);
            return (list.Items, list.Metadata?.ContinueProperty);
        }).ConfigureAwait(false);
        static bool Degraded(V1Deployment d) => (d.Status?.ReadyReplicas ?? 0) < (d.Spec?.Replicas ?? 0);
        var ordered = all.OrderBy(d => Degraded(d) ? 0 : 1).ThenBy(d => d.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(d => d.Metadata.Name, StringComparer.Ordinal).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"eks_deployment_list|{target.Cluster.Id}|{ns}|{labelSelector}");
        var now = time.GetUtcNow();
        var table = new TextTable("namespace", "name", "ready", "up-to-date", "available", "age", "problem");
        foreach (var d in items)
        {
            var problem = d.Status?.Conditions?.FirstOrDefault(c => c.Status != "True") is { } c ? $"{c.Type}: {c.Reason}" : "";
            table.Row(ns is null ? d.Metadata.NamespaceProperty : "", d.Metadata.Name, $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 0}",
                N(d.Status?.UpdatedReplicas), N(d.Status?.AvailableReplicas), Fmt.Age(Utc(d.Metadata.CreationTimestamp), now), problem);
        }
        var degraded = all.Count(Degraded);
        return new ToolOutput().Line($"deployments of {target.Cluster.Id} ({(ns is null ? "all namespaces" : $"namespace {ns}")}): {all.Count}; not fully ready {degraded}")
            .Table(table).Page(items.Count, ordered.Count, next, page).ToString();
    }

    /// <summary>Sets a deployment's replicas through the scale subresource.</summary>
    public async Task<string> ScaleAsync(ClusterTarget target, string ns, string name, int replicas, CancellationToken ct)
    {
        if (replicas < 0) throw new ToolException($"replicas must be 0 or more (got {replicas}).");
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var what = $"deployment {ns}/{name}";
        var hint = $"eks_deployment_list namespace={ns} shows its deployments.";
        var before = await KubeCalls.RunAsync(connection, what, hint, () => connection.Api.ReadDeploymentScaleAsync(ns, name, ct)).ConfigureAwait(false);
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", V1Patch.PatchType.MergePatch);
        var after = await KubeCalls.RunAsync(connection, what, hint, () => connection.Api.PatchDeploymentScaleAsync(patch, ns, name, ct)).ConfigureAwait(false);
        return $"scaled {what} on {target.Cluster.Id}: replicas {before.Spec?.Replicas ?? 0}→{after.Spec?.Replicas ?? replicas} (now {after.Status?.Replicas ?? 0} pods). "
            + $"eks_pod_list namespace={ns} label_selector={after.Status?.Selector ?? "app=" + name} shows them.";
    }

    /// <summary>Restarts a deployment's pods the way <c>kubectl rollout restart</c> does: a new restartedAt annotation on the template.</summary>
    public async Task<string> RestartAsync(ClusterTarget target, string ns, string name, CancellationToken ct)
    {
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var at = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new V1Patch($"{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"kubectl.kubernetes.io/restartedAt\":\"{at}\"}}}}}}}}}}", V1Patch.PatchType.StrategicMergePatch);
        var deployment = await KubeCalls.RunAsync(connection, $"deployment {ns}/{name}", $"eks_deployment_list namespace={ns} shows its deployments.",
            () => connection.Api.PatchDeploymentAsync(patch, ns, name, ct)).ConfigureAwait(false);
        var selector = deployment.Spec?.Selector?.MatchLabels is { Count: > 0 } labels ? string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")) : $"app={name}";
        return $"restarted deployment {ns}/{name} on {target.Cluster.Id} (restartedAt {at}): its {deployment.Spec?.Replicas ?? 0} pods are being replaced. "
            + $"eks_pod_list namespace={ns} label_selector={selector} shows the new ones.";
    }

    /// <summary>Nodes: readiness, pressure, capacity and allocatable, not-ready first.</summary>
    public async Task<string> NodesAsync(ClusterTarget target, string? labelSelector, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Read(limit, cursor, 50, 500);
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var all = await ScanAsync(connection, KubeCalls.Listing("nodes", labelSelector), async token => (await connection.Api.ListNodesAsync(labelSelector, token, KubeCalls.ScanPageSize, ct).ConfigureAwait(false)) is var l
            ? (l.Items, l.Metadata?.ContinueProperty) : default).ConfigureAwait(false);
        static bool Ready(V1Node n) => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var ordered = all.OrderBy(n => Ready(n) && Pressure(n).Length == 0 ? 1 : 0).ThenBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"eks_node_list|{target.Cluster.Id}|{labelSelector}");
        var suffix = PodListService.CommonDomainSuffix([.. items.Select(n => n.Metadata.Name)]);
        var now = time.GetUtcNow();
        var table = new TextTable("name", "status", "roles", "version", "cpu", "memory", "pods", "pressure", "group", "type", "age");
        foreach (var n in items)
        {
            var labels = n.Metadata.Labels ?? new Dictionary<string, string>();
            var roles = string.Join(",", labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]));
            var ready = n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            table.Row(suffix.Length > 0 ? n.Metadata.Name[..^suffix.Length] : n.Metadata.Name,
                ready?.Status == "True" ? "Ready" : $"NotReady({ready?.Reason})" + (n.Spec?.Unschedulable == true ? ",Cordoned" : ""),
                roles, n.Status?.NodeInfo?.KubeletVersion, Pair(n, "cpu"), Pair(n, "memory"), Pair(n, "pods"), Pressure(n),
                Label(labels, "eks.amazonaws.com/nodegroup"), Label(labels, "node.kubernetes.io/instance-type")
                    + (Label(labels, "eks.amazonaws.com/capacityType") == "SPOT" ? "/spot" : ""),
                Fmt.Age(Utc(n.Metadata.CreationTimestamp), now));
        }
        var notReady = all.Count(n => !Ready(n));
        var output = new ToolOutput().Line($"nodes of {target.Cluster.Id}: {all.Count}; not ready {notReady}; under pressure {all.Count(n => Pressure(n).Length > 0)}");
        if (suffix.Length > 0) output.Line($"(node names end in {suffix}; cpu/memory/pods: allocatable/capacity)");
        else output.Line("(cpu/memory/pods: allocatable/capacity)");
        return output.Table(table).Page(items.Count, ordered.Count, next, page).ToString();
    }

    private static string Pressure(V1Node n) => string.Join(",", n.Status?.Conditions?
        .Where(c => c.Type.EndsWith("Pressure", StringComparison.Ordinal) && c.Status == "True").Select(c => c.Type) ?? []);

    private static string Pair(V1Node n, string resource) =>
        n.Status?.Allocatable?.TryGetValue(resource, out var a) == true && n.Status.Capacity?.TryGetValue(resource, out var c) == true ? $"{a}/{c}" : "";

    private static string Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var v) ? v : "";

    /// <summary>Reads a whole listing with Kubernetes <c>limit</c>/<c>continue</c>, up to <see cref="KubeCalls.ScanCap"/> items.</summary>
    private static async Task<List<T>> ScanAsync<T>(KubeConnection connection, string what, Func<string?, Task<(IList<T> Items, string? Continue)>> fetch)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var current = token;
            var (items, next) = await KubeCalls.RunAsync(connection, what, null, () => fetch(current)).ConfigureAwait(false);
            all.AddRange(items ?? []);
            token = next is { Length: > 0 } ? next : null;
        }
        while (token is not null && all.Count < KubeCalls.ScanCap);
        return all;
    }

    private static DateTimeOffset? Last(Corev1Event e) => Utc(e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp);

    private static string N(int? v) => (v ?? 0).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
