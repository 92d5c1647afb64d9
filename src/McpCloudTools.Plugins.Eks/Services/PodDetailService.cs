using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary><c>eks_pod_describe</c>, <c>eks_pod_logs</c> and <c>eks_pod_delete</c>.</summary>
public sealed class PodDetailService(KubeConnections connections, TimeProvider time)
{
    private const int EventsShown = 10;

    /// <summary>What <c>kubectl describe pod</c> shows that matters, trimmed; without a namespace the pod is found by name (<see cref="PodLookup"/>).</summary>
    public async Task<string> DescribeAsync(ClusterTarget target, string? givenNamespace, string name, CancellationToken ct)
    {
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var (pod, ns, found) = await PodLookup.FindAsync(connection, givenNamespace, name, ct).ConfigureAwait(false);
        var events = await KubeCalls.RunAsync(connection, $"events of pod {ns}/{name}", null, () => connection.Api.ListEventsAsync(ns, "Pod", name, null, 500, ct)).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var row = PodStatus.Row(pod);
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        var output = new ToolOutput()
            .Line($"pod {ns}/{name} on {target.Cluster.Id}{found}: {row.Status}, ready {row.Ready}, restarts {row.Restarts}, age {Fmt.Age(row.Created, now)}")
            .Field("why", row.Detail)
            .Field("node", pod.Spec.NodeName)
            .Field("ip", pod.Status?.PodIP)
            .Field("controlled by", owner is null ? null : $"{owner.Kind}/{owner.Name}")
            .Field("qos", pod.Status?.QosClass)
            .Field("labels", pod.Metadata.Labels?.Where(l => l.Key != "pod-template-hash").Select(l => $"{l.Key}={l.Value}").ToList())
            .Field("conditions", pod.Status?.Conditions?.Select(c => c.Status == "True" ? c.Type : $"{c.Type}=False" + (c.Reason is { Length: > 0 } r ? $"({r})" : "")).ToList());
        foreach (var container in pod.Spec.Containers) WriteContainer(output, container, pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container.Name), now);

        var recent = events.Items.OrderBy(e => e.Type == "Warning" ? 0 : 1).ThenByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp).Take(EventsShown).ToList();
        if (recent.Count == 0) return output.Line("events: none in the last hour").ToString();
        var table = new TextTable("type", "reason", "age", "count", "message");
        foreach (var e in recent)
            table.Row(e.Type, e.Reason, Fmt.Age(Utc(e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp), now), (e.Count ?? 1).ToString(CultureInfo.InvariantCulture), Fmt.Truncate(e.Message ?? "", 160));
        output.Line($"events ({recent.Count} of {events.Items.Count}, warnings first):").Table(table);
        return output.ToString();
    }

    /// <summary>The tail of a container's log, capped in bytes; without a namespace the pod is found by name (<see cref="PodLookup"/>).</summary>
    public async Task<string> LogsAsync(ClusterTarget target, string? givenNamespace, string name, string? container, int tailLines, int? sinceSeconds, bool previous, int maxBytes, CancellationToken ct)
    {
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var (pod, ns, found) = await PodLookup.FindAsync(connection, givenNamespace, name, ct).ConfigureAwait(false);
        var names = pod.Spec.Containers.Select(c => c.Name).ToList();
        var note = "";
        if (container is null)
        {
            container = pod.Metadata.Annotations?.TryGetValue("kubectl.kubernetes.io/default-container", out var d) == true && names.Contains(d) ? d : names[0];
            if (names.Count > 1) note = $" (default of containers {string.Join(", ", names)}; pass container for another)";
        }
        else if (!names.Contains(container))
        {
            throw new ToolException($"Pod {ns}/{name} has no container '{container}'; it has: {string.Join(", ", names)}.");
        }

        var chosen = container;
        string text;
        try
        {
            await using var stream = await KubeCalls.RunAsync(connection, $"logs of {ns}/{name} container {chosen}", null, () => connection.Api.ReadPodLogAsync(
                ns, name, chosen, tailLines, sinceSeconds, previous, maxBytes, ct)).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        }
        catch (ToolException e) when (e.Message.Contains("waiting to start", StringComparison.Ordinal)
            || e.Message.Contains("previous terminated container", StringComparison.Ordinal)
            || e.Message.Contains("does not have a host assigned", StringComparison.Ordinal))
        {
            throw new ToolException(NoLogs(pod, ns, name, chosen, previous) ?? e.Message, e);
        }

        var lines = text.Length == 0 ? 0 : text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);
        var bytes = Encoding.UTF8.GetByteCount(text);
        var header = $"logs of {ns}/{name}{found} container {chosen}{note}{(previous ? ", previous instance" : "")}: {lines} lines, {Fmt.Bytes(bytes)}"
            + (bytes >= maxBytes ? $" (cut at max_bytes {maxBytes}; lower tail_lines or raise max_bytes)" : "");
        return lines == 0
            ? header + (sinceSeconds is not null ? $"; nothing in the last {sinceSeconds}s" : "")
            : header + "\n" + text.TrimEnd('\n');
    }

    /// <summary>
    /// Why a container has no log to show, in the pod's own terms (it never started, and what it waits for; or it never
    /// restarted, for <c>previous</c>), as one sentence and what to do next; null when the pod does not explain it.
    /// </summary>
    private static string? NoLogs(V1Pod pod, string ns, string name, string container, bool previous)
    {
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        var ranBefore = status?.LastState?.Terminated is not null || status?.State?.Running is not null || status?.State?.Terminated is not null;
        if (!ranBefore)
        {
            string why;
            if (string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
                why = "the pod is not scheduled to a node" + (scheduled is null ? "" : $" ({scheduled.Reason}: {Fmt.Truncate(scheduled.Message ?? "", 200)})");
            }
            else
            {
                var waiting = status?.State?.Waiting;
                why = waiting is null ? "it is being created (ContainerCreating)"
                    : $"it is waiting in {waiting.Reason}" + (string.IsNullOrEmpty(waiting.Message) ? "" : $" ({Fmt.Truncate(waiting.Message, 200)})");
            }
            return $"{ns}/{name} container {container} has never started, so it has no logs: {why}. eks_pod_describe shows its events.";
        }
        return previous && status?.LastState?.Terminated is null
            ? $"{ns}/{name} container {container} has no previous instance: it has not restarted (restarts {status?.RestartCount ?? 0}). Without previous=true the current instance's log is shown."
            : null;
    }

    /// <summary>Deletes a pod and says whether its controller will replace it.</summary>
    public async Task<string> DeleteAsync(ClusterTarget target, string ns, string name, CancellationToken ct)
    {
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var pod = await KubeCalls.RunAsync(connection, $"pod {ns}/{name}", $"eks_pod_list namespace={ns} shows its pods.",
            () => connection.Api.DeletePodAsync(ns, name, ct)).ConfigureAwait(false);
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return $"deleted pod {ns}/{name} on {target.Cluster.Id}; " + (owner is null
            ? "it has no controller, so nothing recreates it."
            : $"its controller {owner.Kind}/{owner.Name} creates a replacement (eks_pod_list namespace={ns} shows it).");
    }

    private static void WriteContainer(ToolOutput output, V1Container spec, V1ContainerStatus? status, DateTimeOffset now)
    {
        output.Section($"container {spec.Name}", o =>
        {
            o.Line($"image {spec.Image}" + (status is null ? "" : $", ready {(status.Ready ? "yes" : "no")}, restarts {status.RestartCount}"));
            o.Field("state", State(status?.State, now));
            o.Field("last state", State(status?.LastState, now));
            o.Field("requests", Resources(spec.Resources?.Requests));
            o.Field("limits", Resources(spec.Resources?.Limits));
            o.Field("env", spec.Env?.Select(Env).ToList());
        });
    }

    private static string? State(V1ContainerState? state, DateTimeOffset now) => state switch
    {
        { Waiting: { } w } => $"waiting {w.Reason}" + (w.Message is { Length: > 0 } m ? $": {Fmt.Truncate(m, 200)}" : ""),
        { Running: { } r } => $"running since {Fmt.Age(Utc(r.StartedAt), now)} ago",
        { Terminated: { } t } => $"terminated {t.Reason} exit {t.ExitCode}" + (t.Signal is { } s and not 0 ? $" signal {s}" : "")
            + (t.FinishedAt is { } f ? $", {Fmt.Age(Utc(f), now)} ago" : "")
            + (t.StartedAt is { } st && t.FinishedAt is { } fi ? $" after {Fmt.Age(Utc(st), new DateTimeOffset(DateTime.SpecifyKind(fi, DateTimeKind.Utc)))}" : "")
            + (t.Message is { Length: > 0 } msg ? $": {Fmt.Truncate(msg, 200)}" : ""),
        _ => null,
    };

    private static string? Resources(IDictionary<string, ResourceQuantity>? values) =>
        values is { Count: > 0 } ? string.Join(", ", values.Select(kv => $"{kv.Key} {kv.Value}")) : null;

    /// <summary>
    /// An environment entry: references are shown as references (their values live in Secrets and ConfigMaps), literal
    /// values as they are: <c>eks_pod_describe</c> is a sensitive tool, so the strict redaction path hides the values of
    /// secret-named variables and credential-bearing URLs unless the server allows sensitive data.
    /// </summary>
    public static string Env(V1EnvVar env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.ValueFrom is { } from)
        {
            return env.Name + "=" + (from.SecretKeyRef is { } s ? $"<secret {s.Name}/{s.Key}>"
                : from.ConfigMapKeyRef is { } c ? $"<configmap {c.Name}/{c.Key}>"
                : from.FieldRef is { } f ? $"<field {f.FieldPath}>"
                : from.ResourceFieldRef is { } r ? $"<resource {r.Resource}>" : "<ref>");
        }
        return env.Name + "=" + (env.Value ?? "");
    }

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
