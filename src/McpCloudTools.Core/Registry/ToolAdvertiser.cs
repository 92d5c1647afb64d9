using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// Keeps the advertised tool collection in line with the state and the safety ceiling: the management tools, plus the
/// tools of every type with an enabled instance that the safety options permit. Every MCP server instance (stdio,
/// each HTTP session) shares <see cref="Tools"/>, so a change here makes the SDK send
/// <c>notifications/tools/list_changed</c> to every stateful session.
/// </summary>
public sealed partial class ToolAdvertiser : IDisposable
{
    private readonly Lock _gate = new();
    private readonly RegistryStateOwner _state;
    private readonly ToolCatalog _catalog;
    private readonly SafetyOptions _safety;
    private readonly ILogger<ToolAdvertiser> _logger;

    /// <summary>Creates the advertiser and subscribes it to the state's changes.</summary>
    public ToolAdvertiser(RegistryStateOwner state, ToolCatalog catalog, SafetyOptions safety, ILogger<ToolAdvertiser> logger)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _catalog = catalog;
        _safety = safety;
        _logger = logger;
        _state.Changed += OnChanged;
    }

    /// <summary>The advertised tools, live.</summary>
    public McpServerPrimitiveCollection<McpServerTool> Tools { get; } = new();

    /// <summary>The advertised prompts (those of every type with an enabled instance), live; shared like <see cref="Tools"/>.</summary>
    public McpServerPrimitiveCollection<McpServerPrompt> Prompts { get; } = new();

    /// <summary>
    /// The advertised resource templates (those of every type with an enabled instance), live; shared like
    /// <see cref="Tools"/>, so a change makes the SDK send <c>notifications/resources/list_changed</c> where it sends
    /// <c>notifications/tools/list_changed</c>.
    /// </summary>
    public McpServerResourceCollection ResourceTemplates { get; } = new();

    // One entry per type and template, built once: the collection compares entries by reference.
    private readonly Dictionary<string, IReadOnlyList<Mcp.AdvertisedTemplate>> _templates = new(StringComparer.Ordinal);

    /// <summary>
    /// Builds and checks a plugin type's tools (all four annotations, a description, the name prefix) before anything
    /// that would advertise them is stored, so that enabling a type whose tools are broken changes nothing.
    /// Throws a <see cref="ServerFaultException"/> naming what is wrong.
    /// </summary>
    public void Prepare(string type)
    {
        try
        {
            _ = _catalog.ToolsOf(type);
        }
        catch (InvalidOperationException e)
        {
            throw new ServerFaultException($"The {type} plugin's tools cannot be advertised ({e.Message.TrimEnd('.')}), so nothing was changed. " +
                "This is a defect of the plugin's build; the server log has details.", e);
        }
    }

    /// <summary>Brings the advertised tools in line with the current state; concurrent calls converge on it.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            var state = _state.Current;
            var enabledTypes = state.Instances.Where(i => i.Enabled).Select(i => i.Type).ToHashSet(StringComparer.Ordinal);
            var desired = _catalog.ManagementTools.Select(t => t.Tool).ToList();
            foreach (var plugin in _catalog.Plugins.Where(p => enabledTypes.Contains(p.Info.Type)))
            {
                try
                {
                    desired.AddRange(_catalog.ToolsOf(plugin.Info.Type).Where(t => _safety.Permits(t.Access)).Select(t => t.Tool));
                }
                catch (InvalidOperationException e)
                {
                    // Refused before any change that enables it (Prepare); only a state stored by another server gets here.
                    LogBrokenType(_logger, e, plugin.Info.Type);
                }
            }

            SyncPrompts(enabledTypes);
            SyncTemplates(enabledTypes);
            if (Reconcile(Tools, desired) is { } changed)
            {
                LogToolsChanged(_logger, Tools.Count, changed.Added, changed.Removed);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _state.Changed -= OnChanged;

    private void SyncPrompts(HashSet<string> enabledTypes)
    {
        var desired = new List<McpServerPrompt>();
        foreach (var plugin in _catalog.Plugins.Where(p => enabledTypes.Contains(p.Info.Type)))
        {
            try
            {
                desired.AddRange(_catalog.PromptsOf(plugin.Info.Type));
            }
            catch (InvalidOperationException e)
            {
                LogBrokenType(_logger, e, plugin.Info.Type);
            }
        }

        Reconcile(Prompts, desired);
    }

    private void SyncTemplates(HashSet<string> enabledTypes)
    {
        var desired = _catalog.Plugins.Where(p => enabledTypes.Contains(p.Info.Type)).SelectMany(p =>
        {
            if (!_templates.TryGetValue(p.Info.Type, out var entries))
            {
                _templates[p.Info.Type] = entries = [.. p.ResourceTemplates.Select(t => new Mcp.AdvertisedTemplate(p.Info.Type, t))];
            }

            return entries;
        }).ToList();
        Reconcile(ResourceTemplates, desired);
    }

    /// <summary>
    /// Makes an advertised collection hold exactly <paramref name="desired"/> (by id), in one change event so that
    /// sessions hear one <c>list_changed</c>; null when nothing changed, else how many came and went.
    /// </summary>
    private static (int Added, int Removed)? Reconcile<T>(McpServerPrimitiveCollection<T> advertised, IReadOnlyCollection<T> desired)
        where T : IMcpServerPrimitive
    {
        var desiredIds = desired.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var stale = advertised.Where(p => !desiredIds.Contains(p.Id)).ToList();
        var missing = desired.Where(p => !advertised.Contains(p)).ToList();
        if (stale.Count == 0 && missing.Count == 0)
        {
            return null;
        }

        using (advertised.DeferChangedEvents())
        {
            foreach (var p in stale)
            {
                advertised.Remove(p);
            }

            foreach (var p in missing)
            {
                advertised.TryAdd(p);
            }
        }

        return (missing.Count, stale.Count);
    }

    private void OnChanged(object? sender, RegistryChange change) => Sync();

    [LoggerMessage(LogLevel.Information, "Advertised tools changed: {Count} tools (+{Added} -{Removed})")]
    private static partial void LogToolsChanged(ILogger logger, int count, int added, int removed);

    [LoggerMessage(LogLevel.Error, "The tools of plugin type {Type} are invalid and are not advertised")]
    private static partial void LogBrokenType(ILogger logger, Exception exception, string type);
}
