using k8s.Models;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>A pod found by name, and how: <see cref="Note"/> says which namespace when the caller gave none.</summary>
/// <param name="Pod">The pod as the API server returned it.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Note">Empty, or <c> (found in namespace shop)</c> for the answer's first line.</param>
public sealed record FoundPod(V1Pod Pod, string Namespace, string Note);

/// <summary>
/// Finds the pod a tool names. With a namespace it is read there; without one, its name is looked up across namespaces in
/// one request (a field selector on the all-namespaces list): unique → used, and the answer says where; several → the
/// candidates, and the caller chooses; none → the pods with the most similar names (same ReplicaSet or workload prefix).
/// </summary>
public static class PodLookup
{
    /// <summary>Similar names a not-found message shows at most.</summary>
    public const int SimilarShown = 5;

    /// <summary>Candidates an ambiguous-name message shows at most.</summary>
    public const int CandidatesShown = 20;

    /// <summary>Pages of pod names read at most to suggest similar names (metadata only, <see cref="KubeCalls.ScanPageSize"/> each).</summary>
    public const int SimilarScanPages = 10;

    /// <summary>The pod <paramref name="name"/> of <paramref name="ns"/>, or of whichever namespace holds the only pod of that name.</summary>
    public static async Task<FoundPod> FindAsync(KubeConnection connection, string? ns, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (ns is not null)
        {
            var pod = await KubeCalls.RunAsync(connection, $"pod {ns}/{name}", $"eks_pod_list namespace={ns} shows its pods; without namespace the pod is looked up in every namespace.",
                () => connection.Api.ReadPodAsync(ns, name, ct)).ConfigureAwait(false);
            return new FoundPod(pod, ns, "");
        }

        var named = await KubeCalls.RunAsync(connection, $"pods named {name}", null,
            () => connection.Api.ListPodsNamedAsync(name, CandidatesShown + 1, ct)).ConfigureAwait(false);
        var items = named.Items;
        if (items.Count == 1)
        {
            var only = items[0];
            var where = only.Metadata.NamespaceProperty;
            return new FoundPod(only, where, $" (found in namespace {where})");
        }
        if (items.Count > 1)
        {
            var more = items.Count > CandidatesShown || named.Metadata?.ContinueProperty is { Length: > 0 };
            var shown = items.Take(CandidatesShown).Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}").ToList();
            throw new ToolException($"{(more ? "More than " + CandidatesShown : shown.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} pods "
                + $"are named {name} in {connection.Cluster.Id}: {string.Join(", ", shown)}. Pass namespace to choose one "
                + $"(e.g. namespace={shown[0].Split('/')[0]}).");
        }

        var similar = await SimilarAsync(connection, name, ct).ConfigureAwait(false);
        throw new ToolException($"No pod is named {name} in any namespace of {connection.Cluster.Id}. " + (similar.Count == 0
            ? "No pod name shares its prefix either; "
            : $"Similar names: {string.Join(", ", similar)}; ") + "eks_pod_list lists the pods (namespace or label_selector narrows it).");
    }

    /// <summary>
    /// The pods (<c>namespace/name</c>) whose names share the longest prefix with <paramref name="name"/>: the name itself
    /// (it was cut short), then without its last <c>-</c> part (<c>web-6d4cf56db6-</c>: the same ReplicaSet), and so on down
    /// to its first part (<c>web-</c>), at most <see cref="SimilarShown"/>.
    /// </summary>
    private static async Task<List<string>> SimilarAsync(KubeConnection connection, string name, CancellationToken ct)
    {
        var pods = new List<(string Namespace, string Name)>();
        string? token = null;
        var tables = true;
        for (var pages = 0; pages < SimilarScanPages; pages++)
        {
            var continueToken = token;
            var page = tables ? await KubeCalls.RunAsync(connection, "pods", null,
                () => connection.Api.ListPodTableAsync(null, null, continueToken, KubeCalls.ScanPageSize, ct)).ConfigureAwait(false) : null;
            if (page is not null)
            {
                pods.AddRange(page.Rows.Select(r => (r.Namespace, r.Name)));
                token = page.Continue;
            }
            else
            {
                tables = false;
                var list = await KubeCalls.RunAsync(connection, "pods", null,
                    () => connection.Api.ListPodsAsync(null, null, continueToken, KubeCalls.ScanPageSize, ct)).ConfigureAwait(false);
                pods.AddRange(list.Items.Select(p => (p.Metadata.NamespaceProperty, p.Metadata.Name)));
                token = list.Metadata?.ContinueProperty is { Length: > 0 } c ? c : null;
            }
            if (token is null) break;
        }
        foreach (var prefix in Prefixes(name))
        {
            var hits = pods.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
                .Take(SimilarShown).Select(p => $"{p.Namespace}/{p.Name}").ToList();
            if (hits.Count > 0) return hits;
        }
        return [];
    }

    private static IEnumerable<string> Prefixes(string name)
    {
        yield return name;
        for (var end = name.LastIndexOf('-'); end > 0; end = name.LastIndexOf('-', end - 1))
            yield return name[..(end + 1)];
    }
}
