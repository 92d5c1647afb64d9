using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// The Kubernetes API of one sandbox cluster: EKS token authentication, discovery (enough for kubectl), and the
/// resources the plugin and kubectl use, with the API server's list semantics and <c>Status</c> errors.
/// </summary>
public sealed partial class KubeApiHandler(KubeCluster cluster, SandboxCredentialStore credentials, SandboxRequestLog requests, ILogger logger,
    CancellationToken stopping)
{
    /// <summary>Serves one request.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        // A request ends when its client goes or the API stops (open watches included).
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var ct = lifetime.Token;
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var record = requests.Record("kube:" + cluster.Name, http.Request.Method, rawTarget, http.Request.Path.Value ?? "");
        var body = http.Response.Body;
        await using var counting = new CountingStream(body);
        http.Response.Body = counting;
        try
        {
            if (cluster.TakeInjectedAuthFailure() || Authenticate(http) is null)
            {
                cluster.CountRejected();
                throw new KubeApiException(401, "Unauthorized", "Unauthorized");
            }
            var segments = (http.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(Uri.UnescapeDataString).ToArray();
            if (http.Request.Query["watch"] is { Count: > 0 } watch && watch[0] is "true" or "1")
            {
                await WatchAsync(http, segments, ct).ConfigureAwait(false);
                return;
            }
            await RouteAsync(http, segments, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            await WriteStatusAsync(http, e, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteStatusAsync(http, new KubeApiException(400, "BadRequest", $"the body of the request was in an unknown format: {e.Message}"), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(logger, e, cluster.Name);
            await WriteStatusAsync(http, new KubeApiException(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"), ct).ConfigureAwait(false);
        }
        finally
        {
            http.Response.Body = body;
            record.ResponseBytes = counting.Written;
            cluster.CountBytesServed(counting.Written);
        }
    }

    private string? Authenticate(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var (arn, problem) = EksTokenValidator.Validate(authorization, cluster.Name, credentials, DateTimeOffset.UtcNow);
        if (arn is null)
        {
            LogRejected(logger, cluster.Name, problem);
            return null;
        }
        cluster.AcceptedTokens.AddOrUpdate(authorization, 1, (_, n) => n + 1);
        return arn;
    }

    private Task RouteAsync(HttpContext http, string[] s, CancellationToken ct)
    {
        var method = http.Request.Method;
        return (method, s) switch
        {
            ("GET", ["version"]) => WriteJsonAsync(http, 200, new KubeVersionInfo
            {
                Minor = cluster.GitVersion.Split('.')[1], GitVersion = cluster.GitVersion,
            }, EksSandboxJsonContext.Default.KubeVersionInfo, ct),
            ("GET", ["api"]) => WriteAsync(http, 200, new V1APIVersions
            {
                Kind = "APIVersions", Versions = ["v1"],
                ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = http.Request.Host.Value }],
            }, ct),
            ("GET", ["apis"]) => WriteAsync(http, 200, new V1APIGroupList
            {
                Kind = "APIGroupList", ApiVersion = "v1",
                Groups = [new V1APIGroup
                {
                    Name = "apps", Versions = [new V1GroupVersionForDiscovery { GroupVersion = "apps/v1", Version = "v1" }],
                    PreferredVersion = new V1GroupVersionForDiscovery { GroupVersion = "apps/v1", Version = "v1" },
                }],
            }, ct),
            ("GET", ["api", "v1"]) => WriteAsync(http, 200, CoreResources(), ct),
            ("GET", ["apis", "apps", "v1"]) => WriteAsync(http, 200, AppsResources(), ct),
            ("GET", ["api", "v1", "namespaces"]) => ListNamespacesAsync(http, ct),
            ("GET", ["api", "v1", "namespaces", var ns]) => GetAsync(http,
                cluster.Namespaces().FirstOrDefault(n => n.Metadata.Name == ns) ?? throw NotFound("namespaces", "", ns), ct),
            ("GET", ["api", "v1", "pods"]) => ListPodsAsync(http, null, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "pods"]) => ListPodsAsync(http, ns, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "pods", var name]) => GetAsync(http, RequirePod(ns, name), ct),
            ("DELETE", ["api", "v1", "namespaces", var ns, "pods", var name]) => WriteAsync(http, 200, cluster.DeletePod(RequirePod(ns, name)), ct),
            ("GET", ["api", "v1", "namespaces", var ns, "pods", var name, "log"]) => LogAsync(http, RequirePod(ns, name), ct),
            ("GET", ["api", "v1", "events"]) => ListEventsAsync(http, null, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "events"]) => ListEventsAsync(http, ns, ct),
            ("GET", ["api", "v1", "nodes"]) => ListNodesAsync(http, ct),
            ("GET", ["api", "v1", "nodes", var name]) => GetAsync(http,
                cluster.Nodes().FirstOrDefault(n => n.Metadata.Name == name) ?? throw NotFound("nodes", "", name), ct),
            ("GET", ["api", "v1", "services"]) => ListServicesAsync(http, null, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "services"]) => ListServicesAsync(http, ns, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "services", var name]) => GetAsync(http,
                cluster.Services().FirstOrDefault(x => x.Metadata.NamespaceProperty == ns && x.Metadata.Name == name) ?? throw NotFound("services", "", name), ct),
            ("GET", ["api", "v1", "endpoints"]) => ListEndpointsAsync(http, null, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "endpoints"]) => ListEndpointsAsync(http, ns, ct),
            ("GET", ["api", "v1", "namespaces", var ns, "endpoints", var name]) => GetAsync(http,
                cluster.Endpoints().FirstOrDefault(x => x.Metadata.NamespaceProperty == ns && x.Metadata.Name == name) ?? throw NotFound("endpoints", "", name), ct),
            ("GET", ["apis", "apps", "v1", "replicasets"]) => ListReplicaSetsAsync(http, null, ct),
            ("GET", ["apis", "apps", "v1", "namespaces", var ns, "replicasets"]) => ListReplicaSetsAsync(http, ns, ct),
            ("GET", ["apis", "apps", "v1", "namespaces", var ns, "replicasets", var name]) => GetAsync(http,
                cluster.ReplicaSets().FirstOrDefault(x => x.Metadata.NamespaceProperty == ns && x.Metadata.Name == name) ?? throw NotFound("replicasets", "apps", name), ct),
            ("GET", ["apis", "apps", "v1", "deployments"]) => ListDeploymentsAsync(http, null, ct),
            ("GET", ["apis", "apps", "v1", "namespaces", var ns, "deployments"]) => ListDeploymentsAsync(http, ns, ct),
            ("GET", ["apis", "apps", "v1", "namespaces", var ns, "deployments", var name]) => GetAsync(http, RequireDeployment(ns, name).Deployment!, ct),
            ("PATCH", ["apis", "apps", "v1", "namespaces", var ns, "deployments", var name]) => PatchDeploymentAsync(http, RequireDeployment(ns, name), ct),
            ("GET", ["apis", "apps", "v1", "namespaces", var ns, "deployments", var name, "scale"]) => WriteAsync(http, 200, ScaleOf(RequireDeployment(ns, name)), ct),
            ("PUT" or "PATCH", ["apis", "apps", "v1", "namespaces", var ns, "deployments", var name, "scale"]) => UpdateScaleAsync(http, RequireDeployment(ns, name), ct),
            _ => throw new KubeApiException(404, "NotFound", "the server could not find the requested resource"),
        };
    }

    private static V1APIResourceList CoreResources() => new()
    {
        Kind = "APIResourceList", ApiVersion = "v1", GroupVersion = "v1",
        Resources =
        [
            Resource("namespaces", "namespace", "Namespace", false, ["get", "list", "watch"], ["ns"]),
            Resource("pods", "pod", "Pod", true, ["delete", "get", "list", "watch"], ["po"]),
            Resource("pods/log", "", "Pod", true, ["get"], null),
            Resource("events", "event", "Event", true, ["get", "list", "watch"], ["ev"]),
            Resource("nodes", "node", "Node", false, ["get", "list", "watch"], ["no"]),
            Resource("services", "service", "Service", true, ["get", "list", "watch"], ["svc"]),
            Resource("endpoints", "endpoints", "Endpoints", true, ["get", "list", "watch"], ["ep"]),
        ],
    };

    private static V1APIResourceList AppsResources() => new()
    {
        Kind = "APIResourceList", ApiVersion = "v1", GroupVersion = "apps/v1",
        Resources =
        [
            Resource("deployments", "deployment", "Deployment", true, ["get", "list", "patch", "watch"], ["deploy"]),
            Resource("replicasets", "replicaset", "ReplicaSet", true, ["get", "list", "watch"], ["rs"]),
            new V1APIResource { Name = "deployments/scale", SingularName = "", Kind = "Scale", Group = "autoscaling", Version = "v1", Namespaced = true, Verbs = ["get", "patch", "update"] },
        ],
    };

    private static V1APIResource Resource(string name, string singular, string kind, bool namespaced, List<string> verbs, List<string>? shortNames) =>
        new() { Name = name, SingularName = singular, Kind = kind, Namespaced = namespaced, Verbs = verbs, ShortNames = shortNames };

    private V1Pod RequirePod(string ns, string name) => cluster.FindPod(ns, name) ?? throw NotFound("pods", "", name);

    private KubeWorkload RequireDeployment(string ns, string name) => cluster.FindDeployment(ns, name) ?? throw NotFound("deployments", "apps", name);

    private static KubeApiException NotFound(string resource, string group, string name) =>
        new(404, "NotFound", $"{resource}{(group.Length > 0 ? "." + group : "")} \"{name}\" not found")
        {
            Details = new KubeStatusDetails { Name = name, Group = group.Length > 0 ? group : null, Kind = resource },
        };

    // One object, or its one-row Table when kubectl asks for one (kubectl get pod NAME).
    private Task GetAsync<T>(HttpContext http, T item, CancellationToken ct) where T : IKubernetesObject<V1ObjectMeta>
    {
        if (WantsTable(http) is not { } includeObject) return WriteAsync(http, 200, item, ct);
        var table = KubeTables.For([item], i => i.Metadata, cluster.Now, new KubeListMeta { ResourceVersion = item.Metadata.ResourceVersion }, includeObject);
        return WriteJsonAsync(http, 200, table, EksSandboxJsonContext.Default.KubeTable, ct);
    }

    /// <summary>
    /// The <c>includeObject</c> of a request that asks for a Table (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>),
    /// or null when it asks for the objects or when this API plays an older server or a proxy that cannot print
    /// (<see cref="KubeCluster.ServesTables"/> off: the objects, as such a server answers the client's fallback type).
    /// </summary>
    private string? WantsTable(HttpContext http)
    {
        if (!cluster.ServesTables || !http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal)) return null;
        var value = http.Request.Query["includeObject"].ToString();
        if (value.Length == 0) return KubeTables.IncludeObjectValues[0];
        return KubeTables.IncludeObjectValues.Contains(value, StringComparer.Ordinal) ? value
            : throw new KubeApiException(400, "BadRequest", $"includeObject: Unsupported value: \"{value}\": supported values: \"Metadata\", \"None\", \"Object\"");
    }

    private static Task WriteAsync<T>(HttpContext http, int status, T value, CancellationToken ct)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(KubeJson.Serialize(value!), ct);
    }

    private static async Task WriteJsonAsync<T>(HttpContext http, int status, T value, JsonTypeInfo<T> type, CancellationToken ct)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, type), ct).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(HttpContext http, string text, CancellationToken ct)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        return http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();
    }

    private static Task WriteStatusAsync(HttpContext http, KubeApiException e, CancellationToken ct)
    {
        if (http.Response.HasStarted) return Task.CompletedTask;
        return WriteJsonAsync(http, e.Code, new KubeStatus { Message = e.Message, Reason = e.Reason, Code = e.Code, Details = e.Details },
            EksSandboxJsonContext.Default.KubeStatus, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kubernetes API of {Cluster} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes API of {Cluster} rejected a token: {Problem}")]
    private static partial void LogRejected(ILogger logger, string cluster, string problem);
}
