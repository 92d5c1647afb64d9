using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

// Lists (selectors, limit/continue, server-side tables), logs, and the deployment writes.
public sealed partial class KubeApiHandler
{
    private Task ListNamespacesAsync(HttpContext http, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Namespaces(), n => n.Metadata), null, n => n.Metadata, "Namespace",
            (items, meta) => new V1NamespaceList { ApiVersion = "v1", Kind = "NamespaceList", Items = items, Metadata = meta }, ct);

    private Task ListPodsAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, cluster.PodsInKeyOrder(), ns, p => p.Metadata, "Pod",
            (items, meta) => new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = items, Metadata = meta }, ct);

    private Task ListEventsAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Events(), e => e.Metadata), ns, e => e.Metadata, "Event",
            (items, meta) => new Corev1EventList { ApiVersion = "v1", Kind = "EventList", Items = items, Metadata = meta }, ct);

    private Task ListNodesAsync(HttpContext http, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Nodes(), n => n.Metadata), null, n => n.Metadata, "Node",
            (items, meta) => new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Items = items, Metadata = meta }, ct);

    private Task ListDeploymentsAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Deployments(), d => d.Metadata), ns, d => d.Metadata, "Deployment",
            (items, meta) => new V1DeploymentList { ApiVersion = "apps/v1", Kind = "DeploymentList", Items = items, Metadata = meta }, ct);

    private Task ListReplicaSetsAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.ReplicaSets(), d => d.Metadata), ns, d => d.Metadata, "ReplicaSet",
            (items, meta) => new V1ReplicaSetList { ApiVersion = "apps/v1", Kind = "ReplicaSetList", Items = items, Metadata = meta }, ct);

    private Task ListServicesAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Services(), d => d.Metadata), ns, d => d.Metadata, "Service",
            (items, meta) => new V1ServiceList { ApiVersion = "v1", Kind = "ServiceList", Items = items, Metadata = meta }, ct);

    private Task ListEndpointsAsync(HttpContext http, string? ns, CancellationToken ct) =>
        ListAsync(http, KubeKeyedList.Of(cluster.Endpoints(), d => d.Metadata), ns, d => d.Metadata, "Endpoints",
            (items, meta) => new V1EndpointsList { ApiVersion = "v1", Kind = "EndpointsList", Items = items, Metadata = meta }, ct);

    /// <summary>
    /// The API server's list contract: label and field selectors, <c>limit</c> with an opaque <c>continue</c> token
    /// naming the last key served, <c>remainingItemCount</c>, and a Table when the client asks for one.
    /// </summary>
    private async Task ListAsync<T, TList>(HttpContext http, KubeKeyedList<T> all, string? ns, Func<T, V1ObjectMeta> meta, string kind,
        Func<List<T>, V1ListMeta, TList> makeList, CancellationToken ct)
    {
        var q = http.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"].ToString());
        var selector = FieldSelector.Parse(q["fieldSelector"].ToString(), kind, KubeFields.Of(kind));
        var limit = Int(q["limit"].ToString(), "limit") is { } l and > 0 ? l : int.MaxValue;
        var rv = cluster.ResourceVersion;

        // The page starts after the continue key, found by binary search (a 20,000-pod list is 40 pages of 500: a scan
        // of every object per page made the emulator, not the client, the cost of a large list).
        var (start, end) = all.Range(ns, DecodeContinue(q["continue"].ToString()));
        var page = new List<T>(Math.Min(limit, end - start));
        var remaining = 0;
        var last = -1;
        if (labels.IsEverything && selector.IsEverything)
        {
            for (var i = start; i < end && page.Count < limit; i++) page.Add(all[i]);
            last = start + page.Count - 1;
            remaining = end - start - page.Count;
        }
        else
        {
            for (var i = start; i < end; i++)
            {
                var item = all[i];
                if (!labels.Matches(meta(item).Labels) || !selector.Matches(f => KubeFields.Get(item!, f))) continue;
                if (page.Count < limit) { page.Add(item); last = i; }
                else remaining++;
            }
        }

        var more = remaining > 0;
        var listMeta = new V1ListMeta
        {
            ResourceVersion = rv,
            ContinueProperty = more ? EncodeContinue(rv, all.KeyAt(last)) : null,
            RemainingItemCount = more ? remaining : null,
        };
        if (WantsTable(http) is { } includeObject)
        {
            var table = KubeTables.For(page, meta, cluster.Now, new KubeListMeta
            {
                ResourceVersion = rv, Continue = listMeta.ContinueProperty, RemainingItemCount = listMeta.RemainingItemCount,
            }, includeObject);
            await WriteJsonAsync(http, 200, table, EksSandboxJsonContext.Default.KubeTable, ct).ConfigureAwait(false);
            return;
        }
        await WriteAsync(http, 200, makeList(page, listMeta), ct).ConfigureAwait(false);
    }

    private Task LogAsync(HttpContext http, V1Pod pod, CancellationToken ct)
    {
        var q = http.Request.Query;
        var query = new LogQuery(
            q["container"].ToString() is { Length: > 0 } c ? c : null,
            Int(q["tailLines"].ToString(), "tailLines"), Int(q["sinceSeconds"].ToString(), "sinceSeconds"),
            q["previous"].ToString() is "true" or "1", Int(q["limitBytes"].ToString(), "limitBytes"),
            q["timestamps"].ToString() is "true" or "1");
        return WriteTextAsync(http, KubeLogs.Read(pod, cluster.ProfileOf(pod), query, cluster.Now), ct);
    }

    private async Task PatchDeploymentAsync(HttpContext http, KubeWorkload workload, CancellationToken ct)
    {
        var patch = await ReadPatchAsync(http, ct).ConfigureAwait(false);
        var deployment = workload.Deployment!;
        var spec = patch["spec"] as JsonObject;
        if (spec?["template"]?["metadata"]?["annotations"] is JsonObject annotations)
        {
            var template = deployment.Spec.Template.Metadata ??= new V1ObjectMeta();
            template.Annotations ??= new Dictionary<string, string>();
            var changed = false;
            foreach (var (key, value) in annotations)
            {
                var text = value?.GetValue<string>();
                if (text is null ? template.Annotations.Remove(key) : !template.Annotations.TryGetValue(key, out var old) || old != text)
                {
                    if (text is not null) template.Annotations[key] = text;
                    changed = true;
                }
            }
            if (changed) cluster.Rollout(workload);
        }
        if (patch["metadata"]?["annotations"] is JsonObject metaAnnotations)
        {
            deployment.Metadata.Annotations ??= new Dictionary<string, string>();
            foreach (var (key, value) in metaAnnotations)
                if (value is null) deployment.Metadata.Annotations.Remove(key);
                else deployment.Metadata.Annotations[key] = value.GetValue<string>();
            cluster.Touch(deployment);
        }
        if (spec?["replicas"] is { } replicas) cluster.Scale(workload, ValidReplicas(replicas, "Deployment.apps", workload.Name));
        await WriteAsync(http, 200, deployment, ct).ConfigureAwait(false);
    }

    private async Task UpdateScaleAsync(HttpContext http, KubeWorkload workload, CancellationToken ct)
    {
        int replicas;
        if (HttpMethods.IsPut(http.Request.Method))
        {
            var scale = KubeJson.DeserializeScale(await ReadBodyAsync(http, ct).ConfigureAwait(false))
                ?? throw new KubeApiException(400, "BadRequest", "the body of the request must be a Scale object");
            if (scale.Metadata?.ResourceVersion is { Length: > 0 } sent && sent != workload.Deployment!.Metadata.ResourceVersion)
                throw new KubeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on deployments.apps \"{workload.Name}\": the object has been modified; please apply your changes to the latest version and try again")
                { Details = new KubeStatusDetails { Name = workload.Name, Group = "apps", Kind = "deployments" } };
            replicas = scale.Spec?.Replicas ?? 0;
            if (replicas < 0) throw Invalid("Scale.autoscaling", workload.Name, replicas);
        }
        else
        {
            var patch = await ReadPatchAsync(http, ct).ConfigureAwait(false);
            replicas = patch["spec"]?["replicas"] is { } node ? ValidReplicas(node, "Scale.autoscaling", workload.Name)
                : workload.Deployment!.Spec.Replicas ?? 0;
        }
        cluster.Scale(workload, replicas);
        await WriteAsync(http, 200, ScaleOf(workload), ct).ConfigureAwait(false);
    }

    private static V1Scale ScaleOf(KubeWorkload workload)
    {
        var d = workload.Deployment!;
        return new V1Scale
        {
            ApiVersion = "autoscaling/v1", Kind = "Scale",
            Metadata = new V1ObjectMeta { Name = d.Metadata.Name, NamespaceProperty = d.Metadata.NamespaceProperty, Uid = d.Metadata.Uid, ResourceVersion = d.Metadata.ResourceVersion, CreationTimestamp = d.Metadata.CreationTimestamp },
            Spec = new V1ScaleSpec { Replicas = d.Spec.Replicas },
            Status = new V1ScaleStatus { Replicas = d.Status?.Replicas ?? 0, Selector = $"app={workload.Name}" },
        };
    }

    private static int ValidReplicas(JsonNode node, string kind, string name)
    {
        int value;
        try
        {
            value = node.GetValue<int>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new KubeApiException(400, "BadRequest", $"json: cannot unmarshal {node.ToJsonString()} into Go struct field ScaleSpec.spec.replicas of type int32");
        }
        return value < 0 ? throw Invalid(kind, name, value) : value;
    }

    private static KubeApiException Invalid(string kind, string name, int replicas) =>
        new(422, "Invalid", $"{kind} \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0")
        {
            Details = new KubeStatusDetails
            {
                Name = name, Group = kind.Split('.')[1], Kind = kind.Split('.')[0],
                Causes = [new KubeStatusCause { Field = "spec.replicas", Message = "Invalid value: " + replicas + ": must be greater than or equal to 0", Reason = "FieldValueInvalid" }],
            },
        };

    private static async Task<JsonObject> ReadPatchAsync(HttpContext http, CancellationToken ct)
    {
        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("application/merge-patch+json", StringComparison.Ordinal) && !type.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
            throw new KubeApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got '{type}')");
        return JsonNode.Parse(await ReadBodyAsync(http, ct).ConfigureAwait(false)) as JsonObject
            ?? throw new KubeApiException(400, "BadRequest", "the patch must be a JSON object");
    }

    private static async Task<string> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private static int? Int(string text, string name) =>
        text.Length == 0 ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
        : throw new KubeApiException(400, "BadRequest", $"couldn't parse query parameter {name}: strconv.ParseInt: parsing \"{text}\": invalid syntax");

    // Like the API server's: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<last key>\u0000"}.
    private static string EncodeContinue(string rv, string lastKey)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("v", "meta.k8s.io/v1");
            writer.WriteNumber("rv", long.Parse(rv, CultureInfo.InvariantCulture));
            writer.WriteString("start", lastKey + "\u0000");
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(stream.ToArray());
    }

    private static string? DecodeContinue(string token)
    {
        if (token.Length == 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            return doc.RootElement.GetProperty("start").GetString()!.TrimEnd('\u0000');
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new KubeApiException(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
