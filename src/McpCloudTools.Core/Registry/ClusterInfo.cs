namespace McpCloudTools.Core.Registry;

/// <summary>Where a cluster entry came from.</summary>
public enum ClusterSource
{
    /// <summary>Registered by hand (REST API, config); kept until removed.</summary>
    Manual,
    /// <summary>Found by a plugin instance; refreshed (and pruned) when the instance discovers again.</summary>
    Discovered,
    /// <summary>Declared in the server's configuration; never stored nor changed at run time (<see cref="RegistryDeclarations"/>).</summary>
    Declared,
}

/// <summary>
/// A cluster that cluster-scoped tools act on: an EKS cluster, a kubeconfig context, a Batch compute environment.
/// </summary>
/// <param name="Id">Stable id tools take as <c>cluster_id</c> (<c>eks:prod</c>).</param>
/// <param name="Name">The service's own name for it.</param>
/// <param name="Region">AWS region, or empty for non-AWS clusters.</param>
/// <param name="PluginType">The plugin type that serves it.</param>
/// <param name="InstanceId">The plugin instance that serves it; null means the type's default instance.</param>
/// <param name="Config">Plugin-specific settings (ARN, kubeconfig context, default queue…).</param>
/// <param name="Source">Manual or discovered.</param>
public sealed record ClusterInfo(
    string Id,
    string Name,
    string Region,
    string PluginType,
    string? InstanceId,
    IReadOnlyDictionary<string, string> Config,
    ClusterSource Source = ClusterSource.Manual)
{
    /// <summary>Where the server's configuration declares this cluster, or null.</summary>
    public string? DeclaredAt { get; init; }

    /// <summary>How lists show <see cref="Source"/>.</summary>
    public string SourceName => Source switch
    {
        ClusterSource.Discovered => "discovered",
        ClusterSource.Declared => "declared",
        _ => "manual",
    };

    /// <summary>A config value, or null when unset or blank.</summary>
    public string? Get(string key) => Config.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
}
