using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Http;

/// <summary>
/// Guards the HTTP endpoints, in this order, before anything else runs:
/// <list type="number">
/// <item>the <c>Host</c> header: without a token only loopback names (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>,
/// any port) and <c>--allowed-host</c> ones are served, which defeats DNS rebinding; with a token only when
/// <c>--allowed-host</c> is set (421 otherwise);</item>
/// <item>the <c>Origin</c> header: browser requests from origins other than loopback or <c>--allowed-origin</c> are
/// refused (403);</item>
/// <item>CORS for <c>--allowed-origin</c> origins only: preflights answered without a token, responses carrying
/// <c>Access-Control-Allow-Origin</c>;</item>
/// <item>the bearer token on /mcp, /sse, /message, /api and /metrics when one is configured (401); with sign-in,
/// <see cref="SignIn"/> checks the token after this; the status page (<c>/</c> and its script and style) holds no data
/// and is served without it, its script asking for the token;</item>
/// <item>the client identity (<see cref="ClientIdentity"/>) put on the request, to which the SDK binds MCP sessions.</item>
/// </list>
/// </summary>
public sealed class HttpSecurity
{
    private static readonly string[] ProtectedPrefixes = ["/mcp", "/sse", "/message", "/api", "/metrics"];

    /// <summary>Request headers a browser client of /mcp and /api may send.</summary>
    private static readonly string[] AllowedRequestHeaders =
        ["Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID", "Mcp-Method", "Mcp-Name"];

    private const string AllowedMethods = "GET, POST, PATCH, DELETE, OPTIONS";
    private const string ExposedHeaders = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, Location";

    private readonly (byte[] Token, string Subject)[] _tokens;
    private readonly HashSet<string> _origins;
    private readonly List<(string Host, int? Port)> _hosts;
    private readonly bool _checkHost;
    private readonly bool _signIn;

    /// <summary>Reads the token, origin and host settings.</summary>
    public HttpSecurity(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = [.. options.Tokens.Select(t => (Encoding.UTF8.GetBytes(t), ClientIdentity.TokenSubject(t)))];
        _origins = options.AllowedOrigins.Select(NormalizeOrigin).Where(o => o.Length > 0).ToHashSet(StringComparer.Ordinal);
        _hosts = [.. options.AllowedHosts.Select(ParseHost).Where(h => h.Host.Length > 0)];
        _signIn = options.Auth.Enabled;
        _checkHost = (_tokens.Length == 0 && !_signIn) || _hosts.Count > 0;
    }

    /// <summary>Why the server must not start with these options and addresses, or null.</summary>
    public static string? StartupProblem(ServerOptions options, IReadOnlyList<ListenAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(addresses);
        var beyond = addresses.Where(a => !a.IsLoopback).Select(a => a.Text).ToList();
        return beyond.Count > 0 && options.Tokens.Count == 0 && !options.Auth.Enabled
            ? $"Refusing to listen on {string.Join(";", beyond)} without an API token or sign-in: anyone who can reach it could drive your AWS account. " +
              "Set --auth-issuer <your identity provider> for a team, --api-token <secret> (or MCPCLOUDTOOLS__APITOKEN) for one user, or bind to http://127.0.0.1."
            : SignIn.StartupProblem(options, addresses);
    }

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (_checkHost && !Probes.IsProbe(path) && !HostAllowed(request.Host))
        {
            await Refuse(context, StatusCodes.Status421MisdirectedRequest, "Host not allowed",
                $"Host '{Short(request.Host.Value ?? "")}' is not served here: only loopback names (localhost, 127.0.0.1, [::1]) and --allowed-host ones " +
                "are, which stops DNS-rebinding pages. Start the server with --allowed-host <name> to serve another name.").ConfigureAwait(false);
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var cors = false;
        if (origin.Length > 0)
        {
            cors = _origins.Contains(NormalizeOrigin(origin));
            // The server's own pages (the status page at /) send their own origin; the Host check above already vouched for it.
            if (!cors && !IsLoopbackOrigin(origin) && !IsSameOrigin(origin, request))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "Forbidden origin",
                    $"Origin '{Short(origin)}' is not allowed. Start the server with --allowed-origin {Short(origin)} to allow it.").ConfigureAwait(false);
                return;
            }
        }

        if (HttpMethods.IsOptions(request.Method) && origin.Length > 0 && request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            await Preflight(context, origin, cors).ConfigureAwait(false);
            return;
        }

        if (cors)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlExposeHeaders = ExposedHeaders;
            headers.Vary = "Origin";
        }

        var isProtected = ProtectedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        if (_tokens.Length > 0)
        {
            if (isProtected)
            {
                if (MatchToken(request.Headers.Authorization) is not { } subject)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Refuse(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                        "This endpoint needs 'Authorization: Bearer <token>' with one of the server's API tokens.").ConfigureAwait(false);
                    return;
                }

                context.User = ClientIdentity.Principal(subject);
            }
        }
        else if (isProtected && !_signIn)
        {
            context.User = ClientIdentity.Principal(ClientIdentity.LoopbackSubject(origin));
        }

        await next(context).ConfigureAwait(false);
    }

    private static Task Preflight(HttpContext context, string origin, bool cors)
    {
        if (!cors)
        {
            return Refuse(context, StatusCodes.Status403Forbidden, "CORS not enabled for this origin",
                $"Browser pages at '{Short(origin)}' may not call this server cross-origin. Start it with --allowed-origin {Short(origin)} to allow them.");
        }

        // Tool parameters mirrored into headers (Mcp-Param-<name>, MCP 2026-07-28) are allowed by prefix; nothing else is.
        var paramHeaders = context.Request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(h => h.StartsWith("Mcp-Param-", StringComparison.OrdinalIgnoreCase) && h.Length <= 128);
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = string.Join(", ", AllowedRequestHeaders.Concat(paramHeaders));
        headers.AccessControlMaxAge = "600";
        headers.Vary = "Origin";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private string? MatchToken(StringValues authorization)
    {
        var header = authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var given = Encoding.UTF8.GetBytes(header[7..].Trim());
        string? subject = null;
        foreach (var (token, tokenSubject) in _tokens)
        {
            // Every token is compared, in constant time, so the answer's timing tells nothing about which matched.
            if (CryptographicOperations.FixedTimeEquals(given, token))
            {
                subject = tokenSubject;
            }
        }

        return subject;
    }

    private bool HostAllowed(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host.Trim('[', ']');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip)))
        {
            return true;
        }

        return _hosts.Any(h => h.Host.Equals(name, StringComparison.OrdinalIgnoreCase) && (h.Port is null || h.Port == host.Port));
    }

    private static (string Host, int? Port) ParseHost(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            trimmed = Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) ? uri.Authority : "";
        }

        var host = HostString.FromUriComponent(trimmed);
        return (host.Host.Trim('[', ']'), host.Port);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        request.Host.HasValue && string.Equals(NormalizeOrigin(origin), $"{request.Scheme}://{request.Host.Value}".ToLowerInvariant(), StringComparison.Ordinal);

    private static string NormalizeOrigin(string origin) => origin.Trim().TrimEnd('/').ToLowerInvariant();

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
        (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    private static string Short(string value) => Fmt.Clip(value, 80);

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
}

/// <summary>
/// Who a request comes from, as the claim the MCP SDK binds a stateful session to (it refuses the session to any
/// other identity, 403). Today: the API token that authenticated the request (as a hash), or without a token the
/// loopback client and its browser origin. A sign-in (OAuth) that sets <see cref="HttpContext.User"/> with a
/// <c>sub</c> claim replaces this without changing the session binding.
/// </summary>
public static class ClientIdentity
{
    /// <summary>The authentication type of the identities made here.</summary>
    public const string AuthenticationType = "McpCloudTools";

    /// <summary>The subject of an API token: a prefix of its SHA-256, never the token.</summary>
    public static string TokenSubject(string token) =>
        "token:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    /// <summary>The subject of a tokenless loopback client: its browser origin, if any, keeps pages apart from each other and from local tools.</summary>
    public static string LoopbackSubject(string origin) => origin.Length == 0 ? "loopback" : "loopback:" + origin.Trim().TrimEnd('/').ToLowerInvariant();

    /// <summary>A principal with <paramref name="subject"/> as its name identifier.</summary>
    public static ClaimsPrincipal Principal(string subject) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, subject)], AuthenticationType));

    /// <summary>The subject of a request (set by <see cref="HttpSecurity"/> or a sign-in), or <c>anonymous</c>.</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? context.User.FindFirst("sub")?.Value ?? "anonymous";
    }
}
