using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using k8s.Models;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// The one way the plugin calls the Kubernetes API: the operations the tools use, each checking its names against
/// <see cref="KubeNames"/> and escaping every path segment and query value as it builds the URL. The requests are made
/// here, on the client's <see cref="HttpClient"/>, credentials and timeout, and read with <see cref="KubeJsonContext"/>:
/// KubernetesClient's generated operations read with its context of every model it has, which would make the
/// NativeAOT binary carry and rehydrate all of them at start. Failures throw the <see cref="HttpOperationException"/>
/// those operations throw, so <c>KubeCalls</c> explains them the same way.
/// </summary>
/// <param name="client">The connection (TLS, authentication, <see cref="KubePathGuard"/> underneath).</param>
public sealed class KubeApi(KubeTransport client) : IDisposable
{
    /// <summary>What the pod list asks for: a server-side Table, else (an old server, a proxy that cannot print) the objects.</summary>
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

    private static readonly string[] Core = ["api", "v1"];
    private static readonly string[] Apps = ["apis", "apps", "v1"];

    /// <summary>One page of namespaces.</summary>
    public Task<V1NamespaceList> ListNamespacesAsync(string? continueToken, int limit, CancellationToken ct) =>
        GetAsync(["api", "v1", "namespaces"], Query(continueToken, null, null, limit), KubeJsonContext.Default.V1NamespaceList, ct);

    /// <summary>One page of pods, of one namespace or all.</summary>
    public Task<V1PodList> ListPodsAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        GetAsync(Namespaced(Core, ns, "pods"), Query(continueToken, null, Selector(labelSelector), limit), KubeJsonContext.Default.V1PodList, ct);

    /// <summary>
    /// One page of pods as the API server prints them for <c>kubectl get pods</c> (a <c>meta.k8s.io/v1 Table</c> with each
    /// pod's metadata, <c>includeObject=Metadata</c>): about a third of the bytes of the pods themselves. Null when the
    /// server answered with the objects instead (it cannot print tables), so the caller reads those.
    /// </summary>
    public async Task<PodTablePage?> ListPodTableAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct)
    {
        var query = Query(continueToken, null, Selector(labelSelector), limit);
        query.Add(("includeObject", "Metadata"));
        using var timeout = Timeout(ct);
        try
        {
            using var request = Request(HttpMethod.Get, Namespaced(Core, ns, "pods"), query);
            request.Headers.Accept.ParseAdd(TableAccept);
            using var response = await SendAsync(request, null, timeout.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentType is not { MediaType: "application/json" }) return null;
            return KubePodTable.Read(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false), ns);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    /// <summary>
    /// The pods of every namespace with this exact name: one request, a field selector on the all-namespaces list (names
    /// are unique per namespace only). The selector is built from a checked name, so no ',' or '=' can add a term.
    /// </summary>
    public Task<V1PodList> ListPodsNamedAsync(string name, int limit, CancellationToken ct) =>
        GetAsync([.. Core, "pods"], Query(null, "metadata.name=" + Pod(name), null, limit), KubeJsonContext.Default.V1PodList, ct);

    /// <summary>A pod.</summary>
    public Task<V1Pod> ReadPodAsync(string ns, string name, CancellationToken ct) =>
        GetAsync(["api", "v1", "namespaces", Namespace(ns), "pods", Pod(name)], [], KubeJsonContext.Default.V1Pod, ct);

    /// <summary>The tail of a container's log, as the server streams it (the caller bounds what it reads).</summary>
    public async Task<Stream> ReadPodLogAsync(string ns, string name, string container, int tailLines, int? sinceSeconds, bool previous, int limitBytes,
        CancellationToken ct)
    {
        List<(string, string?)> query =
        [
            ("container", KubeNames.Container.Require(container, "container")), ("limitBytes", Number(limitBytes)),
            ("previous", previous ? "true" : "false"), ("sinceSeconds", sinceSeconds is { } s ? Number(s) : null), ("tailLines", Number(tailLines)),
        ];
        using var timeout = Timeout(ct);
        try
        {
            var request = Request(HttpMethod.Get, ["api", "v1", "namespaces", Namespace(ns), "pods", Pod(name), "log"], query);
            var response = await SendAsync(request, null, timeout.Token).ConfigureAwait(false);
            // The stream owns the response from here: disposing it releases the connection.
            return await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    /// <summary>Deletes a pod.</summary>
    public Task<V1Pod> DeletePodAsync(string ns, string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, ["api", "v1", "namespaces", Namespace(ns), "pods", Pod(name)], [], null, KubeJsonContext.Default.V1Pod, ct);

    /// <summary>One page of events, of one namespace or all, optionally only those about one object.</summary>
    public Task<Corev1EventList> ListEventsAsync(string? ns, string? kind, string? objectName, string? continueToken, int limit, CancellationToken ct)
    {
        // The field selector is built from a checked name, so no ',' or '=' of the caller's can add a term.
        var selector = objectName is null ? null
            : (kind is null ? "" : $"involvedObject.kind={kind},") + $"involvedObject.name={KubeNames.Pod.Require(objectName, "involvedObject.name")}";
        return GetAsync(Namespaced(Core, ns, "events"), Query(continueToken, selector, null, limit), KubeJsonContext.Default.Corev1EventList, ct);
    }

    /// <summary>One page of deployments, of one namespace or all.</summary>
    public Task<V1DeploymentList> ListDeploymentsAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        GetAsync(Namespaced(Apps, ns, "deployments"), Query(continueToken, null, Selector(labelSelector), limit),
            KubeJsonContext.Default.V1DeploymentList, ct);

    /// <summary>A deployment's scale subresource.</summary>
    public Task<V1Scale> ReadDeploymentScaleAsync(string ns, string name, CancellationToken ct) =>
        GetAsync(["apis", "apps", "v1", "namespaces", Namespace(ns), "deployments", Deployment(name), "scale"], [], KubeJsonContext.Default.V1Scale, ct);

    /// <summary>Patches a deployment's scale subresource.</summary>
    public Task<V1Scale> PatchDeploymentScaleAsync(V1Patch patch, string ns, string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Patch, ["apis", "apps", "v1", "namespaces", Namespace(ns), "deployments", Deployment(name), "scale"], [], patch,
            KubeJsonContext.Default.V1Scale, ct);

    /// <summary>Patches a deployment.</summary>
    public Task<V1Deployment> PatchDeploymentAsync(V1Patch patch, string ns, string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Patch, ["apis", "apps", "v1", "namespaces", Namespace(ns), "deployments", Deployment(name)], [], patch,
            KubeJsonContext.Default.V1Deployment, ct);

    /// <summary>One page of nodes.</summary>
    public Task<V1NodeList> ListNodesAsync(string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        GetAsync(["api", "v1", "nodes"], Query(continueToken, null, Selector(labelSelector), limit), KubeJsonContext.Default.V1NodeList, ct);

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    private Task<T> GetAsync<T>(string[] path, List<(string, string?)> query, JsonTypeInfo<T> type, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, query, null, type, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string[] path, List<(string, string?)> query, V1Patch? patch, JsonTypeInfo<T> type,
        CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        try
        {
            using var request = Request(method, path, query);
            using var response = await SendAsync(request, patch, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, type, timeout.Token).ConfigureAwait(false)
                ?? throw new JsonException($"The Kubernetes API answered {method} {request.RequestUri?.AbsolutePath} with null.");
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    /// <summary>Sends with the client's credentials; a status outside 2xx throws what KubernetesClient throws, with the body.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, V1Patch? patch, CancellationToken ct)
    {
        string? content = null;
        if (patch is not null)
        {
            content = patch.Content as string ?? throw new ArgumentException("A patch is sent as its JSON text.", nameof(patch));
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(PatchMediaType(patch.Type) + "; charset=utf-8");
        }
        if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, content), Response = new HttpResponseMessageWrapper(response, text),
            };
        }
    }

    /// <summary>
    /// A request to <paramref name="path"/> below the API server's base: each segment escaped, each query value escaped,
    /// pairs without a value left out. HTTP/2 when the server offers it, as KubernetesClient asks.
    /// </summary>
    private HttpRequestMessage Request(HttpMethod method, string[] path, List<(string Name, string? Value)> query)
    {
        var url = new StringBuilder();
        foreach (var segment in path) url.Append(url.Length == 0 ? "" : "/").Append(Uri.EscapeDataString(segment));
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (value is null) continue;
            url.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new HttpRequestMessage(method, new Uri(client.BaseUri, url.ToString())) { Version = HttpVersion.Version20 };
    }

    private CancellationTokenSource Timeout(CancellationToken ct)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(client.HttpClientTimeout);
        return timeout;
    }

    private static TaskCanceledException TimedOut(OperationCanceledException e) =>
        new("The Kubernetes API did not answer in time.", new TimeoutException(e.Message, e));

    private static string PatchMediaType(V1Patch.PatchType type) => type switch
    {
        V1Patch.PatchType.JsonPatch => "application/json-patch+json",
        V1Patch.PatchType.MergePatch => "application/merge-patch+json",
        V1Patch.PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        V1Patch.PatchType.ApplyPatch => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a Kubernetes patch type."),
    };

    // The query parameters of a list, in the order KubernetesClient sends them.
    private static List<(string, string?)> Query(string? continueToken, string? fieldSelector, string? labelSelector, int limit) =>
        [("continue", continueToken), ("fieldSelector", fieldSelector), ("labelSelector", labelSelector), ("limit", Number(limit))];

    private static string[] Namespaced(string[] groupVersion, string? ns, string resource) =>
        ns is null ? [.. groupVersion, resource] : [.. groupVersion, "namespaces", Namespace(ns), resource];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Namespace(string value) => KubeNames.Namespace.Require(value, "namespace");

    private static string Pod(string value) => KubeNames.Pod.Require(value, "pod");

    private static string Deployment(string value) => KubeNames.Deployment.Require(value, "deployment");

    private static string? Selector(string? value) => value is null ? null : KubeNames.LabelSelector.Require(value, "label_selector");
}
