using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;
using k8s.Models;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// The one way the plugin calls the Kubernetes API: the operations the tools use, each checking its names against
/// <see cref="KubeNames"/> before KubernetesClient sees them. KubernetesClient puts path parameters into the URL as
/// they are, so a name that is not a DNS name (<c>api-1#</c>, <c>web/../default</c>, <c>..</c>) is refused here, with
/// the rule, and never sent. Query values (selectors, continue tokens) are escaped by KubernetesClient itself.
/// </summary>
/// <param name="client">The generated client, with <see cref="KubePathGuard"/> underneath.</param>
public sealed class KubeApi(Kubernetes client) : IDisposable
{
    /// <summary>What the pod list asks for: a server-side Table, else (an old server, a proxy that cannot print) the objects.</summary>
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

    /// <summary>One page of namespaces.</summary>
    public Task<V1NamespaceList> ListNamespacesAsync(string? continueToken, int limit, CancellationToken ct) =>
        client.CoreV1.ListNamespaceAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct);

    /// <summary>One page of pods, of one namespace or all.</summary>
    public Task<V1PodList> ListPodsAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        ns is null
            ? client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: continueToken, labelSelector: Selector(labelSelector), limit: limit, cancellationToken: ct)
            : client.CoreV1.ListNamespacedPodAsync(Namespace(ns), continueParameter: continueToken, labelSelector: Selector(labelSelector), limit: limit, cancellationToken: ct);

    /// <summary>
    /// One page of pods as the API server prints them for <c>kubectl get pods</c> (a <c>meta.k8s.io/v1 Table</c> with each
    /// pod's metadata, <c>includeObject=Metadata</c>): about a third of the bytes of the pods themselves. Null when the
    /// server answered with the objects instead (it cannot print tables), so the caller reads those.
    /// </summary>
    public async Task<PodTablePage?> ListPodTableAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct)
    {
        // Every value is checked (names) or escaped (query values) here, as KubernetesClient does for its own calls.
        var path = ns is null ? "api/v1/pods" : $"api/v1/namespaces/{Uri.EscapeDataString(Namespace(ns))}/pods";
        var query = $"?limit={limit}&includeObject=Metadata"
            + (Selector(labelSelector) is { } selector ? "&labelSelector=" + Uri.EscapeDataString(selector) : "")
            + (continueToken is null ? "" : "&continue=" + Uri.EscapeDataString(continueToken));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, path + query));
        request.Headers.Accept.ParseAdd(TableAccept);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(client.HttpClientTimeout);
        try
        {
            if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, timeout.Token).ConfigureAwait(false);
            using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The same exception KubernetesClient throws, so that KubeCalls explains it the same way.
                var content = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
                {
                    Request = new HttpRequestMessageWrapper(request, null), Response = new HttpResponseMessageWrapper(response, content),
                };
            }
            if (response.Content.Headers.ContentType is not { MediaType: "application/json" }) return null;
            return KubePodTable.Read(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false), ns);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TaskCanceledException("The Kubernetes API did not answer in time.", new TimeoutException(e.Message, e));
        }
    }

    /// <summary>
    /// The pods of every namespace with this exact name: one request, a field selector on the all-namespaces list (names
    /// are unique per namespace only). The selector is built from a checked name, so no ',' or '=' can add a term.
    /// </summary>
    public Task<V1PodList> ListPodsNamedAsync(string name, int limit, CancellationToken ct) =>
        client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=" + Pod(name), limit: limit, cancellationToken: ct);

    /// <summary>A pod.</summary>
    public Task<V1Pod> ReadPodAsync(string ns, string name, CancellationToken ct) =>
        client.CoreV1.ReadNamespacedPodAsync(Pod(name), Namespace(ns), cancellationToken: ct);

    /// <summary>The tail of a container's log.</summary>
    public Task<Stream> ReadPodLogAsync(string ns, string name, string container, int tailLines, int? sinceSeconds, bool previous, int limitBytes,
        CancellationToken ct) =>
        client.CoreV1.ReadNamespacedPodLogAsync(Pod(name), Namespace(ns), container: KubeNames.Container.Require(container, "container"),
            tailLines: tailLines, sinceSeconds: sinceSeconds, previous: previous, limitBytes: limitBytes, cancellationToken: ct);

    /// <summary>Deletes a pod.</summary>
    public Task<V1Pod> DeletePodAsync(string ns, string name, CancellationToken ct) =>
        client.CoreV1.DeleteNamespacedPodAsync(Pod(name), Namespace(ns), cancellationToken: ct);

    /// <summary>One page of events, of one namespace or all, optionally only those about one object.</summary>
    public Task<Corev1EventList> ListEventsAsync(string? ns, string? kind, string? objectName, string? continueToken, int limit, CancellationToken ct)
    {
        // The field selector is built from a checked name, so no ',' or '=' of the caller's can add a term.
        var selector = objectName is null ? null
            : (kind is null ? "" : $"involvedObject.kind={kind},") + $"involvedObject.name={KubeNames.Pod.Require(objectName, "involvedObject.name")}";
        return ns is null
            ? client.CoreV1.ListEventForAllNamespacesAsync(continueParameter: continueToken, fieldSelector: selector, limit: limit, cancellationToken: ct)
            : client.CoreV1.ListNamespacedEventAsync(Namespace(ns), continueParameter: continueToken, fieldSelector: selector, limit: limit, cancellationToken: ct);
    }

    /// <summary>One page of deployments, of one namespace or all.</summary>
    public Task<V1DeploymentList> ListDeploymentsAsync(string? ns, string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        ns is null
            ? client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: continueToken, labelSelector: Selector(labelSelector), limit: limit, cancellationToken: ct)
            : client.AppsV1.ListNamespacedDeploymentAsync(Namespace(ns), continueParameter: continueToken, labelSelector: Selector(labelSelector), limit: limit, cancellationToken: ct);

    /// <summary>A deployment's scale subresource.</summary>
    public Task<V1Scale> ReadDeploymentScaleAsync(string ns, string name, CancellationToken ct) =>
        client.AppsV1.ReadNamespacedDeploymentScaleAsync(Deployment(name), Namespace(ns), cancellationToken: ct);

    /// <summary>Patches a deployment's scale subresource.</summary>
    public Task<V1Scale> PatchDeploymentScaleAsync(V1Patch patch, string ns, string name, CancellationToken ct) =>
        client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, Deployment(name), Namespace(ns), cancellationToken: ct);

    /// <summary>Patches a deployment.</summary>
    public Task<V1Deployment> PatchDeploymentAsync(V1Patch patch, string ns, string name, CancellationToken ct) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(patch, Deployment(name), Namespace(ns), cancellationToken: ct);

    /// <summary>One page of nodes.</summary>
    public Task<V1NodeList> ListNodesAsync(string? labelSelector, string? continueToken, int limit, CancellationToken ct) =>
        client.CoreV1.ListNodeAsync(continueParameter: continueToken, labelSelector: Selector(labelSelector), limit: limit, cancellationToken: ct);

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    private static string Namespace(string value) => KubeNames.Namespace.Require(value, "namespace");

    private static string Pod(string value) => KubeNames.Pod.Require(value, "pod");

    private static string Deployment(string value) => KubeNames.Deployment.Require(value, "deployment");

    private static string? Selector(string? value) => value is null ? null : KubeNames.LabelSelector.Require(value, "label_selector");
}
