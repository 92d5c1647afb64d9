using k8s.Models;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>One pod as the list shows it.</summary>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Pod name.</param>
/// <param name="Ready">Ready containers / containers (<c>1/2</c>).</param>
/// <param name="Status">kubectl's STATUS with the real reason (<c>CrashLoopBackOff</c>, <c>ImagePullBackOff</c>, <c>Pending</c>…).</param>
/// <param name="Detail">Why, for unhealthy pods: the scheduler's message, the last exit, the eviction message.</param>
/// <param name="Restarts">Restarts of all containers.</param>
/// <param name="Created">Creation time.</param>
/// <param name="Node">Node name.</param>
/// <param name="Unhealthy">Not running-and-ready and not completed.</param>
public sealed record PodRow(string Namespace, string Name, string Ready, string Status, string Detail, int Restarts,
    DateTimeOffset? Created, string Node, bool Unhealthy);

/// <summary>
/// The status column <c>kubectl get pods</c> shows, computed the same way (pod reason, init containers, then the
/// containers' waiting/terminated reasons, Terminating last), plus the detail an agent needs to act on it.
/// </summary>
public static class PodStatus
{
    /// <summary>The row of one pod.</summary>
    public static PodRow Row(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = pod.Status;
        var containers = status?.ContainerStatuses ?? [];
        // Sidecars (init containers with restartPolicy Always) count as containers once started, as kubectl counts them.
        var sidecars = (pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var total = (pod.Spec?.Containers?.Count ?? containers.Count) + sidecars.Count;
        var ready = containers.Count(c => c.Ready);
        var phase = status?.Phase ?? "Unknown";
        var reason = status?.Reason is { Length: > 0 } r ? r : phase;
        var detail = status?.Reason is { Length: > 0 } ? status.Message ?? "" : "";

        var initializing = false;
        var inits = status?.InitContainerStatuses ?? [];
        var initRestarts = 0;
        var sidecarRestarts = 0;
        for (var i = 0; i < inits.Count; i++)
        {
            var c = inits[i];
            initRestarts += c.RestartCount;
            var sidecar = sidecars.Contains(c.Name);
            if (sidecar) sidecarRestarts += c.RestartCount;
            if (c.State?.Terminated is { ExitCode: 0 }) continue;
            if (sidecar && c.Started == true)
            {
                if (c.Ready) ready++;
                continue;
            }
            initializing = true;
            (reason, detail) = c.State switch
            {
                { Terminated: { } t } => ("Init:" + (t.Reason is { Length: > 0 } tr ? tr : $"ExitCode:{t.ExitCode}"), $"init container {c.Name} exit {t.ExitCode}"),
                { Waiting.Reason: { Length: > 0 } w } when w != "PodInitializing" => ("Init:" + w, c.State.Waiting.Message ?? ""),
                _ => ($"Init:{i}/{inits.Count}", ""),
            };
            break;
        }

        // kubectl's RESTARTS: once the pod is initialised, the init containers' past restarts no longer count (sidecars' do).
        var restarts = !initializing || status?.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true
            ? sidecarRestarts + containers.Sum(c => c.RestartCount)
            : initRestarts;

        if (!initializing)
        {
            foreach (var c in containers)
            {
                if (c.State?.Waiting is { Reason: { Length: > 0 } waiting } w)
                {
                    reason = waiting;
                    detail = w.Message ?? "";
                    if (c.LastState?.Terminated is { } last)
                    {
                        if (last.Reason == "OOMKilled") reason = $"{waiting}(OOMKilled)";
                        detail = $"last: {last.Reason ?? "exit"} exit {last.ExitCode}" + (c.Name != pod.Spec?.Containers?.FirstOrDefault()?.Name ? $" ({c.Name})" : "");
                    }
                }
                else if (c.State?.Terminated is { } t)
                {
                    reason = t.Reason is { Length: > 0 } tr ? tr : t.Signal is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{t.ExitCode}";
                    detail = t.ExitCode != 0 ? $"exit {t.ExitCode}" + (t.Message is { Length: > 0 } m ? $": {m}" : "") : detail;
                }
            }
        }

        // The kubelet's verdict on the whole pod (Evicted, NodeLost, Shutdown) says more than the leftover container state.
        if (phase == "Failed" && status?.Reason is { Length: > 0 } podReason)
        {
            reason = podReason;
            detail = status.Message ?? detail;
        }

        if (phase == "Pending" && containers.Count == 0 && !initializing
            && status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled)
        {
            reason = "Pending";
            detail = $"{unscheduled.Reason}: {unscheduled.Message}";
        }
        else if (reason == "Running" && ready < total)
        {
            // kubectl prints Running; the count at the top must not file a failing readiness probe under Running.
            reason = "NotReady";
            detail = status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status != "True")?.Message is { Length: > 0 } m ? $"not ready: {m}" : "not ready";
        }

        var deleting = pod.Metadata?.DeletionTimestamp is not null;
        if (deleting)
        {
            reason = "Terminating";
            detail = $"deletion requested {Age(pod.Metadata!.DeletionTimestamp)} ago" + (pod.Metadata.Finalizers is { Count: > 0 } f ? $", finalizers {string.Join(", ", f)}" : "");
        }

        var healthy = !deleting && (phase == "Succeeded" || phase == "Running" && ready == total && !initializing);
        return new PodRow(pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", $"{ready}/{total}", reason, Clean(detail), restarts,
            pod.Metadata?.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            pod.Spec?.NodeName ?? "", !healthy);
    }

    // The scheduler appends its pre-emption analysis; the first sentence is the reason.
    private static string Clean(string detail)
    {
        var cut = detail.IndexOf(" preemption:", StringComparison.Ordinal);
        return (cut > 0 ? detail[..cut] : detail).Trim();
    }

    private static string Age(DateTime? at) => at is { } t
        ? Core.Output.Fmt.Age(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)), DateTimeOffset.UtcNow)
        : "";
}
