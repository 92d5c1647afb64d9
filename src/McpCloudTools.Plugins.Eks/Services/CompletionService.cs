using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>
/// Completion values for EKS prompt and template arguments: a cluster's namespaces, and its pods (in the chosen
/// namespace, or every namespace as <c>namespace/name</c> for the prompts' <c>pod</c>, which takes that form).
/// One page of the Kubernetes API each: completion is a hint, bounded by the core to 100 values.
/// </summary>
public sealed class CompletionService(PluginRouter<EksPlugin> router, KubeConnections connections)
{
    private const int ReadAtMost = 500;

    /// <summary>The values for <paramref name="argument"/>, or null when it is not one this plugin completes.</summary>
    public async Task<IReadOnlyList<string>?> CompleteAsync(string argument, IReadOnlyDictionary<string, string> chosen, CancellationToken cancellationToken)
    {
        if (argument is not ("namespace" or "pod")) return null;
        var target = await router.ClusterAsync(chosen.GetValueOrDefault("cluster_id"), cancellationToken).ConfigureAwait(false);
        var connection = await connections.GetAsync(target, cancellationToken).ConfigureAwait(false);
        if (argument == "namespace")
        {
            var namespaces = await connection.Api.ListNamespacesAsync(null, ReadAtMost, cancellationToken).ConfigureAwait(false);
            return [.. namespaces.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal)];
        }

        // A namespace already chosen narrows the pods; one that breaks the rule is no namespace (and never reaches a URL).
        var ns = chosen.TryGetValue("namespace", out var given) && !string.IsNullOrEmpty(given) ? given : null;
        if (ns is not null && KubeNames.Namespace.Problem(ns) is not null) return [];
        var pods = await connection.Api.ListPodsAsync(ns, null, null, ReadAtMost, cancellationToken).ConfigureAwait(false);
        return [.. pods.Items.Select(p => ns is null ? $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}" : p.Metadata.Name).Order(StringComparer.Ordinal)];
    }
}
