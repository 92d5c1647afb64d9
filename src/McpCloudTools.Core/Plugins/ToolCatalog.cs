using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Every tool the server knows, built once per plugin type on first need: plugin tools (advertised while their type
/// has an enabled instance) and the management tools (always advertised).
/// </summary>
public sealed class ToolCatalog
{
    private readonly IServiceProvider _services;
    private readonly JsonSerializerOptions _baseOptions;
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<ToolDescriptor>>> _byType = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<ToolDescriptor>> _management;
    private readonly Func<PluginToolFactory, IEnumerable<McpServerTool>> _managementTools;
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<McpServerPrompt>>> _prompts = new(StringComparer.Ordinal);

    /// <summary>Creates the catalog.</summary>
    public ToolCatalog(IEnumerable<PluginBase> plugins, IServiceProvider services, JsonSerializerOptions serializerOptions,
        Func<PluginToolFactory, IEnumerable<McpServerTool>> managementTools)
    {
        _services = services;
        _baseOptions = serializerOptions;
        _managementTools = managementTools;
        Plugins = [.. plugins];
        _management = new(() => [.. managementTools(new PluginToolFactory(services, serializerOptions, ""))
            .Select(t => ToolDescriptor.Describe(t, null))]);
        foreach (var p in Plugins)
        {
            _byType[p.Info.Type] = new Lazy<IReadOnlyList<ToolDescriptor>>(() => Build(p));
        }
    }

    /// <summary>The root services (plugins' defaults may depend on what is registered, e.g. the sandbox).</summary>
    internal IServiceProvider Services => _services;

    /// <summary>The registered plugin types, in registration order.</summary>
    public IReadOnlyList<PluginBase> Plugins { get; }

    /// <summary>The always-present management tools.</summary>
    public IReadOnlyList<ToolDescriptor> ManagementTools => _management.Value;

    /// <summary>The plugin type named <paramref name="type"/>, or null.</summary>
    public PluginBase? FindPlugin(string type) => Plugins.FirstOrDefault(p => string.Equals(p.Info.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The tools of one plugin type.</summary>
    public IReadOnlyList<ToolDescriptor> ToolsOf(string type) =>
        _byType.TryGetValue(type, out var tools) ? tools.Value : [];

    /// <summary>The prompts of one plugin type (built once, from the build-time manifest: no prompt is created until it is got).</summary>
    public IReadOnlyList<McpServerPrompt> PromptsOf(string type) =>
        FindPlugin(type) is { } plugin ? _prompts.GetOrAdd(plugin.Info.Type, _ => new Lazy<IReadOnlyList<McpServerPrompt>>(() =>
            [.. plugin.GetPrompts(new PluginPromptFactory(_services, _baseOptions, plugin.Info.Type + "_"))])).Value : [];

    /// <summary>
    /// The prompts of one plugin type as reflection over their methods describes them, each created now, ignoring the
    /// build-time manifest: what <see cref="PromptsOf"/> must equal.
    /// </summary>
    public IReadOnlyList<McpServerPrompt> PromptsByReflection(string type) =>
        FindPlugin(type) is { } plugin ? [.. plugin.GetPrompts(new PluginPromptFactory(_services, _baseOptions, plugin.Info.Type + "_", byReflection: true))] : [];

    /// <summary>Every tool, management first.</summary>
    public IEnumerable<ToolDescriptor> All => ManagementTools.Concat(Plugins.SelectMany(p => ToolsOf(p.Info.Type)));

    /// <summary>The tool with this name, whether advertised or not.</summary>
    public ToolDescriptor? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// The tools of one plugin type (<paramref name="type"/> null: the management tools) as reflection over their
    /// methods describes them, each created now, ignoring the build-time manifest: what the catalog's must equal.
    /// </summary>
    public IReadOnlyList<ToolDescriptor> DescribeByReflection(string? type) =>
        type is null
            ? [.. _managementTools(new PluginToolFactory(_services, _baseOptions, "", byReflection: true)).Select(t => ToolDescriptor.Describe(t, null))]
            : FindPlugin(type) is { } plugin ? Build(plugin, byReflection: true) : [];

    private IReadOnlyList<ToolDescriptor> Build(PluginBase plugin, bool byReflection = false)
    {
        var options = _baseOptions;
        if (plugin.JsonContext is { } context)
        {
            options = new JsonSerializerOptions(_baseOptions);
            options.TypeInfoResolverChain.Insert(0, context);
            options.MakeReadOnly();
        }

        var factory = new PluginToolFactory(_services, options, plugin.Info.Type + "_", byReflection);
        return [.. plugin.GetTools(factory).Select(t => ToolDescriptor.Describe(t, plugin.Info.Type))];
    }
}
