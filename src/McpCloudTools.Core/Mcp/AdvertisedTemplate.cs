using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// A plugin's resource template as an entry of the advertised resource collection. The collection is what
/// <c>resources/templates/list</c> answers and what makes the SDK send <c>notifications/resources/list_changed</c> when
/// a plugin type comes or goes, as the tool collection does for tools. Reading stays in one place,
/// <see cref="ResourceHandlers.ReadAsync"/> (validation, call guard, redaction): this entry matches no URI, so the SDK
/// hands every <c>resources/read</c> to that handler.
/// </summary>
public sealed class AdvertisedTemplate : McpServerResource
{
    /// <summary>The entry for <paramref name="template"/> of plugin type <paramref name="type"/>.</summary>
    public AdvertisedTemplate(string type, PluginResourceTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Type = type;
        ProtocolResourceTemplate = new ResourceTemplate
        {
            UriTemplate = template.UriTemplate(type), Name = $"{type} {template.Name}", Description = template.Description, MimeType = "text/plain",
        };
    }

    /// <summary>The plugin type whose template it is.</summary>
    public string Type { get; }

    /// <inheritdoc />
    public override ResourceTemplate ProtocolResourceTemplate { get; }

    /// <inheritdoc />
    public override Resource? ProtocolResource => null;

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override bool IsMatch(string uri) => false;

    /// <inheritdoc />
    public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default) =>
        ResourceHandlers.ReadAsync(request, cancellationToken);
}
