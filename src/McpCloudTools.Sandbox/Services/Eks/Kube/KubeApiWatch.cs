using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

// Watches (?watch=1): the API server's stream of JSON events, one per line, from a resource version on.
public sealed partial class KubeApiHandler
{
    /// <summary>How long a watch lasts when the client gives no <c>timeoutSeconds</c> (the API server picks 30–60 minutes).</summary>
    private const int DefaultWatchSeconds = 1800;

    /// <summary>How often an idle watch looks at the sandbox clock (time moves pods on without any request).</summary>
    private static readonly TimeSpan WatchTick = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// <c>GET …?watch=1</c> on a list: from <c>resourceVersion</c> (or, without one, the current objects as ADDED
    /// first), every matching change as <c>{"type":…,"object":…}</c> on its own line, flushed at once, until
    /// <c>timeoutSeconds</c> or the client leaves; a version older than the changes kept gets the 410 Expired error
    /// event, as from the API server. <c>sendInitialEvents=true</c> ends the initial objects with a bookmark.
    /// </summary>
    private async Task WatchAsync(HttpContext http, string[] s, CancellationToken ct)
    {
        if (!HttpMethods.IsGet(http.Request.Method)) throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        var (kind, ns) = s switch
        {
            ["api", "v1", "pods"] => ("Pod", null),
            ["api", "v1", "namespaces", var n, "pods"] => ("Pod", n),
            ["api", "v1", "events"] => ("Event", null),
            ["api", "v1", "namespaces", var n, "events"] => ("Event", n),
            ["api", "v1", "services"] => ("Service", null),
            ["api", "v1", "namespaces", var n, "services"] => ("Service", n),
            ["api", "v1", "endpoints"] => ("Endpoints", null),
            ["api", "v1", "namespaces", var n, "endpoints"] => ("Endpoints", n),
            ["api", "v1", "nodes"] => ("Node", null),
            ["api", "v1", "namespaces"] => ("Namespace", null),
            ["apis", "apps", "v1", "deployments"] => ("Deployment", null),
            ["apis", "apps", "v1", "namespaces", var n, "deployments"] => ("Deployment", n),
            ["apis", "apps", "v1", "replicasets"] => ("ReplicaSet", null),
            ["apis", "apps", "v1", "namespaces", var n, "replicasets"] => ("ReplicaSet", n),
            _ => ((string?)null, (string?)null),
        };
        if (kind is null) throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        var q = http.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"].ToString());
        var fields = FieldSelector.Parse(q["fieldSelector"].ToString(), kind, KubeFields.Of(kind));
        var seconds = Math.Clamp(Int(q["timeoutSeconds"].ToString(), "timeoutSeconds") ?? DefaultWatchSeconds, 1, 2 * DefaultWatchSeconds);
        var version = q["resourceVersion"].ToString();
        var initial = q["sendInitialEvents"].ToString() == "true";
        bool Matches(string? objectNs, IDictionary<string, string>? objectLabels, Func<string, string?> field) =>
            (ns is null || objectNs == ns) && labels.Matches(objectLabels) && fields.Matches(field);

        long from;
        var replay = new List<string>();
        if (version is "" or "0" || initial)
        {
            from = long.Parse(cluster.ResourceVersion, CultureInfo.InvariantCulture);
            foreach (var item in Current(kind).Where(o => Matches(o.Metadata.NamespaceProperty, o.Metadata.Labels, f => KubeFields.Get(o, f))))
                replay.Add(Line("ADDED", KubeJson.Serialize(item)));
            if (initial)
            {
                var apiVersion = kind is "Deployment" or "ReplicaSet" ? "apps/v1" : "v1";
                replay.Add(Line("BOOKMARK", "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",\"metadata\":{\"resourceVersion\":\""
                    + from.ToString(CultureInfo.InvariantCulture) + "\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}"));
            }
        }
        else if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            throw new KubeApiException(400, "BadRequest", $"resourceVersion: Invalid value: \"{(version.Length > 40 ? version[..40] : version)}\": must be a number");
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        // Headers go out at once: the client waits for them before it reads any event.
        await http.Response.StartAsync(ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        try
        {
            if (replay.Count > 0) await WriteLinesAsync(http, replay, ct).ConfigureAwait(false);
            while (true)
            {
                var (changes, current, tooOld, next) = cluster.ChangesSince(from);
                if (tooOld)
                {
                    var status = new KubeStatus { Message = $"too old resource version: {from} ({current})", Reason = "Expired", Code = 410 };
                    await WriteLinesAsync(http, [Line("ERROR", JsonSerializer.Serialize(status, EksSandboxJsonContext.Default.KubeStatus))], ct).ConfigureAwait(false);
                    return;
                }
                var lines = changes.Where(c => c.Kind == kind && Matches(c.Namespace, c.Labels is null ? null : new Dictionary<string, string>(c.Labels), f => c.Fields.GetValueOrDefault(f)))
                    .Select(c => Line(c.Type, c.Json)).ToList();
                if (changes.Count > 0) from = changes[^1].Version;
                if (lines.Count > 0) await WriteLinesAsync(http, lines, ct).ConfigureAwait(false);
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero) return;
                await Task.WhenAny(next, Task.Delay(left < WatchTick ? left : WatchTick, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left or the sandbox stops: the stream just ends.
        }
    }

    private IEnumerable<IKubernetesObject<V1ObjectMeta>> Current(string kind) => kind switch
    {
        "Pod" => cluster.Pods(),
        "Event" => cluster.Events(),
        "Service" => cluster.Services(),
        "Endpoints" => cluster.Endpoints(),
        "Node" => cluster.Nodes(),
        "Namespace" => cluster.Namespaces(),
        "Deployment" => cluster.Deployments(),
        _ => cluster.ReplicaSets(),
    };

    private static string Line(string type, string json) => $"{{\"type\":\"{type}\",\"object\":{json}}}\n";

    private static async Task WriteLinesAsync(HttpContext http, IEnumerable<string> lines, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(lines)), ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
