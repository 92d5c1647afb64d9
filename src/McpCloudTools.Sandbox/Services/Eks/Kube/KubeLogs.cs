using System.Globalization;
using System.Text;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>The query of a log request (<c>GET …/pods/{name}/log</c>).</summary>
/// <param name="Container">Container name, required when the pod has several.</param>
/// <param name="TailLines">Last N lines.</param>
/// <param name="SinceSeconds">Only lines newer than this.</param>
/// <param name="Previous">The previous (terminated) instance of the container.</param>
/// <param name="LimitBytes">Byte cap, cut at the limit as the kubelet does.</param>
/// <param name="Timestamps">Prefix each line with its RFC 3339 time.</param>
public sealed record LogQuery(string? Container, int? TailLines, int? SinceSeconds, bool Previous, long? LimitBytes, bool Timestamps);

/// <summary>
/// Container logs, made up deterministically from the pod's name and profile (a crashing container ends with its
/// error, an OOM-killed one with its last allocations), with the kubelet's errors for containers that never ran.
/// </summary>
public static class KubeLogs
{
    /// <summary>The log text, or a 400 Kubernetes error the way the API server words it.</summary>
    public static string Read(V1Pod pod, PodProfile profile, LogQuery query, DateTimeOffset now)
    {
        var name = pod.Metadata.Name;
        var containers = pod.Spec.Containers.Select(c => c.Name).ToList();
        var container = query.Container;
        if (container is null)
        {
            if (containers.Count > 1)
                throw new KubeApiException(400, "BadRequest",
                    $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw new KubeApiException(400, "BadRequest", $"container {container} is not valid for pod {name}");
        }

        // The API server asks the pod's node for logs: a pod on no node has none, whatever its containers.
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
            throw new KubeApiException(400, "BadRequest", $"pod {name} does not have a host assigned");
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        if (status?.State?.Waiting is { } waiting && !query.Previous && waiting.Reason != "CrashLoopBackOff")
            throw new KubeApiException(400, "BadRequest",
                $"container \"{container}\" in pod \"{name}\" is waiting to start: {WaitingWords(waiting.Reason)}");
        if (status is null)
            throw new KubeApiException(400, "BadRequest", $"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        if (query.Previous && status.LastState?.Terminated is null)
            throw new KubeApiException(400, "BadRequest", $"previous terminated container \"{container}\" in pod \"{name}\" not found");

        var main = container == containers[0];
        var end = query.Previous ? status.LastState!.Terminated!.FinishedAt ?? now.UtcDateTime
            : status.State?.Terminated?.FinishedAt ?? (status.State?.Waiting is not null ? status.LastState?.Terminated?.FinishedAt : null) ?? now.UtcDateTime;
        var lines = Lines(name, container, main ? profile : PodProfile.Healthy, new DateTimeOffset(end, TimeSpan.Zero), query.Previous);
        if (query.SinceSeconds is { } since)
            lines = [.. lines.Where(l => l.At >= now - TimeSpan.FromSeconds(since))];
        if (query.TailLines is { } tail)
            lines = [.. lines.Skip(Math.Max(0, lines.Count - tail))];
        var text = new StringBuilder();
        foreach (var (at, line) in lines)
        {
            if (query.Timestamps) text.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffff'Z'", CultureInfo.InvariantCulture)).Append(' ');
            text.Append(line).Append('\n');
        }
        var result = text.ToString();
        if (query.LimitBytes is { } limit && Encoding.UTF8.GetByteCount(result) > limit)
            result = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(result), 0, (int)limit);
        return result;
    }

    private static string WaitingWords(string? reason) => reason switch
    {
        "ImagePullBackOff" or "ErrImagePull" => "trying and failing to pull image",
        "CreateContainerConfigError" => "CreateContainerConfigError",
        _ => reason ?? "ContainerCreating",
    };

    private static List<(DateTimeOffset At, string Line)> Lines(string pod, string container, PodProfile profile, DateTimeOffset end, bool previous)
    {
        var r = new Random(StableHash(pod + "/" + container + (previous ? "/prev" : "")));
        var lines = new List<(DateTimeOffset, string)>();
        var count = profile is PodProfile.CrashLoop or PodProfile.OomKilled ? 40 : 300;
        var start = end - TimeSpan.FromSeconds(count * 12);
        string[] paths = ["/api/orders", "/api/cart", "/healthz", "/api/items/42", "/api/checkout", "/metrics"];
        for (var i = 0; i < count; i++)
        {
            var at = start + TimeSpan.FromSeconds(i * 12 + r.Next(12));
            var line = i switch
            {
                0 => $"{{\"level\":\"info\",\"msg\":\"starting {container}\",\"version\":\"2.4.0\",\"pid\":1}}",
                1 => "{\"level\":\"info\",\"msg\":\"connecting to database\",\"dsn\":\"postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/app\"}",
                _ when r.Next(25) == 0 => $"{{\"level\":\"warn\",\"msg\":\"slow request\",\"path\":\"{paths[r.Next(paths.Length)]}\",\"ms\":{900 + r.Next(3000)}}}",
                _ => $"{{\"level\":\"info\",\"msg\":\"request\",\"method\":\"GET\",\"path\":\"{paths[r.Next(paths.Length)]}\",\"status\":200,\"ms\":{r.Next(1, 80)}}}",
            };
            lines.Add((at, line));
        }
        switch (profile)
        {
            case PodProfile.CrashLoop:
                lines.Add((end - TimeSpan.FromSeconds(1), "{\"level\":\"error\",\"msg\":\"failed to load config\",\"error\":\"missing required setting PAYMENTS_ENDPOINT\"}"));
                lines.Add((end, "panic: config: missing required setting PAYMENTS_ENDPOINT"));
                break;
            case PodProfile.OomKilled or PodProfile.JobOomKilled:
                lines.Add((end - TimeSpan.FromSeconds(2), "{\"level\":\"warn\",\"msg\":\"heap usage high\",\"heap_mb\":241,\"limit_mb\":256}"));
                lines.Add((end - TimeSpan.FromSeconds(1), "{\"level\":\"info\",\"msg\":\"loading batch into memory\",\"rows\":1800000}"));
                break;
        }
        return lines;
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h;
    }
}

/// <summary>A Kubernetes API error answered as a <c>Status</c> object.</summary>
/// <param name="code">HTTP status.</param>
/// <param name="reason">Status reason (<c>NotFound</c>, <c>BadRequest</c>, <c>Conflict</c>, <c>Invalid</c>…).</param>
/// <param name="message">The message.</param>
public sealed class KubeApiException(int code, string reason, string message) : Exception(message)
{
    /// <summary>HTTP status.</summary>
    public int Code { get; } = code;

    /// <summary>Status reason.</summary>
    public string Reason { get; } = reason;

    /// <summary>Status details (kind and name of the object), if any.</summary>
    public KubeStatusDetails? Details { get; init; }
}
