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
    private static readonly ManifestRegistry<ToolManifestEntry> Classes = new();

    /// <summary>Registers the tools of <paramref name="toolClass"/> (called by generated code); built on first need.</summary>
    public static void Register(Type toolClass, Func<IReadOnlyList<ToolManifestEntry>> entries) => Classes.Register(toolClass, entries);

    /// <summary>The manifest of <paramref name="toolClass"/>'s tools, in declaration order; null without one.</summary>
    public static IReadOnlyList<ToolManifestEntry>? Of(Type toolClass) => Classes.Of(toolClass);
}

/// <summary>
/// The build-time manifests of the prompt classes of every loaded assembly, as <see cref="ToolManifest"/> for tools:
/// registered by the generated module initializer of each assembly with <c>[McpServerPrompt]</c> methods, read by
/// <see cref="PluginPromptFactory.From{T}"/>.
/// </summary>
public static class PromptManifest
{
    private static readonly ManifestRegistry<PromptManifestEntry> Classes = new();

    /// <summary>Registers the prompts of <paramref name="promptClass"/> (called by generated code); built on first need.</summary>
    public static void Register(Type promptClass, Func<IReadOnlyList<PromptManifestEntry>> entries) => Classes.Register(promptClass, entries);

    /// <summary>The manifest of <paramref name="promptClass"/>'s prompts, in declaration order; null without one.</summary>
    public static IReadOnlyList<PromptManifestEntry>? Of(Type promptClass) => Classes.Of(promptClass);
}

/// <summary>Each class's manifest entries, built once on first need.</summary>
internal sealed class ManifestRegistry<TEntry>
{
    private readonly ConcurrentDictionary<Type, Lazy<IReadOnlyList<TEntry>>> _classes = new();

    public void Register(Type type, Func<IReadOnlyList<TEntry>> entries)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(entries);
        _classes[type] = new Lazy<IReadOnlyList<TEntry>>(entries);
    }

    public IReadOnlyList<TEntry>? Of(Type type) => _classes.TryGetValue(type, out var entries) ? entries.Value : null;
}
