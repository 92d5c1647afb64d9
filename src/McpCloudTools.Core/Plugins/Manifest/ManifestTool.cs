using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins.Manifest;

/// <summary>
/// A tool advertised from its build-time manifest: its <see cref="ProtocolTool"/> (what <c>tools/list</c> sends) is
/// built from the manifest without reflection; the callable SDK tool is created once, thread-safely, on the first call
/// (or the first read of <see cref="Metadata"/>).
/// </summary>
public sealed class ManifestTool : McpServerTool
{
    private readonly Lazy<McpServerTool> _tool;

    internal ManifestTool(ToolManifestEntry entry, IReadOnlyList<object> facts, Func<McpServerTool> create)
    {
        Entry = entry;
        Facts = facts;
        _tool = new Lazy<McpServerTool>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        var annotated = entry.Title is not null || entry.ReadOnly is not null || entry.Destructive is not null ||
                        entry.Idempotent is not null || entry.OpenWorld is not null;
        ProtocolTool = new Tool
        {
            Name = entry.Name,
            Title = entry.Title,
            Description = entry.Description,
            InputSchema = JsonElement.Parse(entry.InputSchema),
            Annotations = annotated
                ? new ToolAnnotations
                {
                    Title = entry.Title, ReadOnlyHint = entry.ReadOnly, DestructiveHint = entry.Destructive,
                    IdempotentHint = entry.Idempotent, OpenWorldHint = entry.OpenWorld,
                }
                : null,
        };
    }

    /// <summary>The manifest entry.</summary>
    public ToolManifestEntry Entry { get; }

    /// <summary>What the descriptor reads instead of <see cref="Metadata"/>: the manifest's attributes and the text-argument rules.</summary>
    public IReadOnlyList<object> Facts { get; }

    /// <summary>Whether the callable tool has been created (by a call).</summary>
    public bool IsCreated => _tool.IsValueCreated;

    /// <inheritdoc />
    public override Tool ProtocolTool { get; }

    /// <summary>The callable tool's metadata (creates it).</summary>
    public override IReadOnlyList<object> Metadata => _tool.Value.Metadata;

    /// <inheritdoc />
    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        _tool.Value.InvokeAsync(request, cancellationToken);
}
