using System.Reflection;
using System.Text.Json;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins.Manifest;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>A tool with what the server needs to know to advertise, route and police it.</summary>
/// <param name="Tool">The MCP tool: for a class with a build-time manifest, a <see cref="ManifestTool"/> (advertised from the manifest, created on its first call).</param>
/// <param name="PluginType">The plugin type it belongs to; null for the always-present management tools.</param>
/// <param name="Access">Read, write or destructive, from the tool's annotations.</param>
/// <param name="Sensitive">Whether its results can carry sensitive values (<see cref="SensitiveDataAttribute"/>): they take the strict redaction path.</param>
/// <param name="Arguments">Its text arguments and the rules their values follow.</param>
public sealed record ToolDescriptor(McpServerTool Tool, string? PluginType, ToolAccess Access, bool Sensitive, ToolArguments Arguments)
{
    /// <summary>The tool's name.</summary>
    public string Name => Tool.ProtocolTool.Name;

    /// <summary>
    /// The grant a caller needs to see and call it: a <see cref="RequiresGrantAttribute"/> on the tool, else
    /// <c>read</c> for the management tools (they read or choose the caller's own view), else its access level.
    /// </summary>
    public Grants Required { get; } = FactsOf(Tool).OfType<RequiresGrantAttribute>().FirstOrDefault()?.Grant
        ?? (PluginType is null ? Grants.Read : Access switch { ToolAccess.Write => Grants.Write, ToolAccess.Destructive => Grants.Destructive, _ => Grants.Read });

    /// <summary>How long the tool waits by design, when it is a <c>*_wait</c> tool.</summary>
    public WaitsUpToAttribute? Waits { get; } = FactsOf(Tool).OfType<WaitsUpToAttribute>().FirstOrDefault();

    /// <summary>
    /// The whole-call deadline of one call (the rule is on <see cref="CallDeadline"/>): the call timeout for a read
    /// tool, its wait plus the call timeout for a <c>*_wait</c> tool, none for a write or destructive tool.
    /// </summary>
    public TimeSpan? Deadline(IDictionary<string, JsonElement>? arguments, TimeSpan callTimeout) =>
        Access != ToolAccess.Read ? null
        : Waits is { } waits ? waits.Wait(arguments) + callTimeout
        : callTimeout;

    /// <summary>
    /// Describes a tool, insisting that it declares all four MCP hints: a client that reads a missing
    /// <c>destructiveHint</c> applies the spec's default (true), and our read-only filter reads the same hints.
    /// </summary>
    public static ToolDescriptor Describe(McpServerTool tool, string? pluginType)
    {
        var a = tool.ProtocolTool.Annotations;
        if (a?.ReadOnlyHint is not { } readOnly || a.DestructiveHint is not { } destructive ||
            a.IdempotentHint is null || a.OpenWorldHint is null)
        {
            throw new InvalidOperationException(
                $"Tool '{tool.ProtocolTool.Name}' must set ReadOnly, Destructive, Idempotent and OpenWorld on [McpServerTool].");
        }

        if (readOnly && destructive)
        {
            throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' cannot be both ReadOnly and Destructive.");
        }

        if (string.IsNullOrWhiteSpace(tool.ProtocolTool.Description))
        {
            throw new InvalidOperationException($"Tool '{tool.ProtocolTool.Name}' needs a [Description].");
        }

        var access = readOnly ? ToolAccess.Read : destructive ? ToolAccess.Destructive : ToolAccess.Write;
        var facts = FactsOf(tool);
        var sensitive = facts.OfType<SensitiveDataAttribute>().Any();
        var arguments = (facts.OfType<ToolArguments>().FirstOrDefault() ?? new ToolArguments([])).BindTo(tool.ProtocolTool.InputSchema);
        return new ToolDescriptor(tool, pluginType, access, sensitive, arguments);
    }

    /// <summary>
    /// What the server reads of a tool's attributes and argument rules: the build-time manifest's for a
    /// <see cref="ManifestTool"/> (reading its <c>Metadata</c> would create the tool), else the tool's metadata.
    /// </summary>
    private static IReadOnlyList<object> FactsOf(McpServerTool tool) => tool is ManifestTool manifest ? manifest.Facts : tool.Metadata;

    /// <summary>Whether <paramref name="method"/> is an MCP tool method.</summary>
    internal static bool IsToolMethod(MethodInfo method) => method.GetCustomAttribute<McpServerToolAttribute>() is not null;
}
