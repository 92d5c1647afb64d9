using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace McpCloudTools.Server.Http;

/// <summary>
/// Guards the HTTP endpoints: browser requests from origins other than loopback (or ones explicitly allowed) are
/// refused, which stops DNS-rebinding and drive-by pages; and when a token is configured (mandatory when bound
/// beyond loopback) /mcp, /sse, /message and /api require <c>Authorization: Bearer &lt;token&gt;</c>.
/// </summary>
public sealed class HttpSecurity(ServerOptions options)
{
    private static readonly string[] ProtectedPrefixes = ["/mcp", "/sse", "/message", "/api"];
    private readonly byte[]? _token = string.IsNullOrEmpty(options.ApiToken) ? null : Encoding.UTF8.GetBytes(options.ApiToken);
    private readonly HashSet<string> _origins = options.AllowedOrigins.Select(o => o.Trim().TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether every address in <paramref name="urls"/> is a loopback one.</summary>
    public static bool IsLoopbackOnly(string urls) => (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .All(u => Uri.TryCreate(u.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host));

    /// <summary>Why the server must not start with these options, or null.</summary>
    public static string? StartupProblem(ServerOptions options, string urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !IsLoopbackOnly(urls) && string.IsNullOrEmpty(options.ApiToken)
            ? $"Refusing to listen on {urls} without an API token: anyone who can reach it could drive your AWS account. " +
              "Set --api-token <secret> (or MCPCLOUDTOOLS__APITOKEN), or bind to http://127.0.0.1."
            : null;
    }

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !OriginAllowed(origin))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "Forbidden origin",
                $"Origin '{origin}' is not allowed. Start the server with --allowed-origin {origin} to allow it.").ConfigureAwait(false);
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (_token is not null && ProtectedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !HasToken(context))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Refuse(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "This endpoint needs 'Authorization: Bearer <token>' with the server's API token.").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private bool HasToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[7..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }

    private bool OriginAllowed(string origin) =>
        _origins.Contains(origin.TrimEnd('/')) ||
        (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsLoopbackHost(uri.Host));

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
}
