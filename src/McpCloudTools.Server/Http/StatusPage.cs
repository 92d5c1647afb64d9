using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;

namespace McpCloudTools.Server.Http;

/// <summary>An advertised tool in <c>GET /api/tools</c>: its plugin type (<c>-</c> for management tools) and access level.</summary>
public sealed record ToolDto(string Name, string Plugin, string Access);

/// <summary>
/// The status page at <c>/</c>: one static page, its script and its style, all served from here (no external asset,
/// no framework). The page holds no data; its script reads the REST API (<c>/api/status</c>, <c>/api/plugins</c>,
/// <c>/api/clusters</c>, <c>/api/tools</c>, <c>/api/audit</c>) with the same auth as any client, asking for the API
/// token when the server has one (kept in <c>sessionStorage</c>, sent as <c>Authorization</c>), and builds every
/// element with <c>textContent</c>, so names from the registry render as text whatever they hold. Served with a
/// Content-Security-Policy that allows nothing but this origin (no inline script) and no framing.
/// </summary>
public static class StatusPage
{
    /// <summary>The policy every page asset is served with.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps the page, its assets and the two REST endpoints only it needs.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", (HttpContext http) => Asset(http, "text/html; charset=utf-8", StatusPageAssets.Html));
        app.MapGet("/status.js", (HttpContext http) => Asset(http, "text/javascript; charset=utf-8", StatusPageAssets.Script));
        app.MapGet("/status.css", (HttpContext http) => Asset(http, "text/css; charset=utf-8", StatusPageAssets.Style));
        app.MapGet("/api/tools", (ToolAdvertiser advertiser, ToolCatalog catalog) =>
            advertiser.Tools.Select(t => catalog.Find(t.ProtocolTool.Name)).OfType<ToolDescriptor>()
                .OrderBy(t => t.PluginType ?? "", StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new ToolDto(t.Name, t.PluginType ?? "-", t.Access.ToString().ToLowerInvariant())).ToArray());
        app.MapGet("/api/audit", (RecentCalls calls) => calls.Snapshot().ToArray());
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Asset(HttpContext http, string contentType, string body)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return TypedResults.Text(body, contentType);
    }
}
