namespace McpCloudTools.Core.Registry;

/// <summary>Why a registry operation was refused; the REST API maps it to 404, 409 or 400.</summary>
public enum RegistryErrorKind { NotFound, Conflict, Invalid }

/// <summary>
/// What the caller can do about a refusal. The registry's messages name no MCP tool nor REST route: each frontend
/// words the remedy its own way (<c>plugin_enable</c> over MCP, <c>POST /api/plugins/{id}/enable</c> over REST).
/// </summary>
public enum RegistryRemedy
{
    /// <summary>Nothing beyond what the message says.</summary>
    None,
    /// <summary>Enable an instance of the type (or use another one).</summary>
    EnableInstance,
    /// <summary>Enable an instance of the type, or create one.</summary>
    EnableOrCreateInstance,
    /// <summary>Discover the clusters (or register one by hand).</summary>
    DiscoverClusters,
    /// <summary>See every cluster.</summary>
    ListClusters,
    /// <summary>Name a cluster, or make one active.</summary>
    ActivateCluster,
}

/// <summary>A refused registry operation, with a message that says what was wrong and what is valid.</summary>
public sealed class RegistryException(RegistryErrorKind kind, string message, RegistryRemedy remedy = RegistryRemedy.None) : ToolException(message)
{
    /// <summary>Why it was refused.</summary>
    public RegistryErrorKind Kind { get; } = kind;

    /// <summary>What the caller can do; the frontend that answers words it.</summary>
    public RegistryRemedy Remedy { get; } = remedy;
}
