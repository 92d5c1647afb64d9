using System.Collections.Concurrent;

namespace McpCloudTools.Core.Plugins.Manifest;

/// <summary>
/// The build-time manifests of the tool classes of every loaded assembly. The generator adds, to each assembly with
/// <c>[McpServerTool]</c> methods, a module initializer that registers its classes here before any of its code runs;
/// <see cref="PluginToolFactory.From{T}"/> reads them. A class without one (an assembly built without the generator)
/// is described by reflection, as before.
/// </summary>
public static class ToolManifest
{
    private static readonly ConcurrentDictionary<Type, Lazy<IReadOnlyList<ToolManifestEntry>>> Classes = new();

    /// <summary>Registers the tools of <paramref name="toolClass"/> (called by generated code); built on first need.</summary>
    public static void Register(Type toolClass, Func<IReadOnlyList<ToolManifestEntry>> entries)
    {
        ArgumentNullException.ThrowIfNull(toolClass);
        ArgumentNullException.ThrowIfNull(entries);
        Classes[toolClass] = new Lazy<IReadOnlyList<ToolManifestEntry>>(entries);
    }

    /// <summary>The manifest of <paramref name="toolClass"/>'s tools, in declaration order; null without one.</summary>
    public static IReadOnlyList<ToolManifestEntry>? Of(Type toolClass) =>
        Classes.TryGetValue(toolClass, out var entries) ? entries.Value : null;
}
