using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.Mcp;

/// <summary>How an MCP answer words what the caller can do about a registry refusal: with the management tools.</summary>
public static class McpRemedies
{
    /// <summary>The refusal's message followed by its remedy, in MCP terms.</summary>
    public static string Message(RegistryException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Remedy(refusal.Remedy) is { } remedy ? $"{refusal.Message} {remedy}" : refusal.Message;
    }

    private static string? Remedy(RegistryRemedy remedy) => remedy switch
    {
        RegistryRemedy.EnableInstance => "Enable it with plugin_enable, or pass another instance.",
        RegistryRemedy.EnableOrCreateInstance => "Enable one with plugin_enable, or create one (POST /api/plugins).",
        RegistryRemedy.DiscoverClusters => "clusters_list discovers them; register one with POST /api/clusters.",
        RegistryRemedy.ListClusters => "clusters_list shows all.",
        RegistryRemedy.ActivateCluster => "Or make one active with cluster_activate.",
        _ => null,
    };
}
