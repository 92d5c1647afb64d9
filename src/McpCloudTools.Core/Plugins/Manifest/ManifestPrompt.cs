using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins.Manifest;

/// <summary>
/// A prompt advertised from its build-time manifest: its <see cref="ProtocolPrompt"/> (what <c>prompts/list</c> sends)
/// is built from the manifest without reflection; the SDK prompt is created once, thread-safely, on the first
/// <c>prompts/get</c> (or the first read of <see cref="Metadata"/>).
/// </summary>
public sealed class ManifestPrompt : McpServerPrompt
{
    private readonly Lazy<McpServerPrompt> _prompt;

    internal ManifestPrompt(PromptManifestEntry entry, Func<McpServerPrompt> create)
    {
        Entry = entry;
        _prompt = new Lazy<McpServerPrompt>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        ProtocolPrompt = new Prompt
        {
            Name = entry.Name,
            Title = entry.Title,
            Description = entry.Description,
            Arguments = [.. entry.Arguments.Select(a => new PromptArgument { Name = a.Name, Description = a.Description, Required = a.Required })],
        };
    }

    /// <summary>The manifest entry.</summary>
    public PromptManifestEntry Entry { get; }

    /// <summary>Whether the SDK prompt has been created (by a get).</summary>
    public bool IsCreated => _prompt.IsValueCreated;

    /// <inheritdoc />
    public override Prompt ProtocolPrompt { get; }

    /// <summary>The SDK prompt's metadata (creates it).</summary>
    public override IReadOnlyList<object> Metadata => _prompt.Value.Metadata;

    /// <summary>
    /// Refuses a get without one of the prompt's required arguments, naming it (the SDK would answer an absent one
    /// with a bare internal error), then gets the SDK prompt.
    /// </summary>
    public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Params?.Arguments;
        foreach (var argument in Entry.Arguments.Where(a => a.Required))
        {
            if (given is null || !given.TryGetValue(argument.Name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                throw new McpProtocolException($"Missing prompt argument '{argument.Name}'.", McpErrorCode.InvalidParams);
            }
        }

        return _prompt.Value.GetAsync(request, cancellationToken);
    }
}
