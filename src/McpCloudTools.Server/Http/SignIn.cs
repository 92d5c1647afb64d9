using System.Diagnostics;
using System.Net;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Safety;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.AspNetCore.Authentication;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Http;

/// <summary>
/// Sign-in as an OAuth resource server (MCP authorization): access tokens (JWT) from the configured OpenID Connect
/// issuer, validated by JwtBearer (signature RS256/ES256/PS256 only, issuer, audience, lifetime with at most 60 s skew;
/// the issuer's keys cached and refetched on an unknown <c>kid</c>, never fetched per request). The MCP SDK's scheme
/// serves <c>/.well-known/oauth-protected-resource</c> and answers 401 with <c>WWW-Authenticate: Bearer
/// resource_metadata="…"</c>, so MCP clients find the authorization server by themselves. Refused requests get an
/// audit line saying why; REST mutations need the <c>admin</c> grant (403 problem details otherwise).
/// </summary>
public sealed partial class SignIn(ServerOptions options, GrantPolicy grants, AuditTrail audit,
    Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions> bearer, ILogger<SignIn> logger)
{
    private static readonly string[] ProtectedPrefixes = ["/mcp", "/sse", "/message", "/api"];
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256];
    private int _issuerDown;

    /// <summary>The audience tokens must carry: the configured one, else the <c>/mcp</c> URL of the first listen address.</summary>
    public static string Audience(ServerOptions options, IReadOnlyList<ListenAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(addresses);
        return !string.IsNullOrWhiteSpace(options.Auth.Audience) ? options.Auth.Audience.Trim()
            : addresses.Count > 0 ? addresses[0].Text.TrimEnd('/') + "/mcp"
            : ServerOptions.DefaultUrls + "/mcp";
    }

    /// <summary>Why these sign-in settings cannot be used, or null.</summary>
    public static string? StartupProblem(ServerOptions options, IReadOnlyList<ListenAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(addresses);
        var auth = options.Auth;
        if (!auth.Enabled)
        {
            return null;
        }

        if (options.Tokens.Count > 0)
        {
            return "--api-token and --auth-issuer cannot be used together: the server takes one scheme at a time. " +
                   "Keep --auth-issuer for a team (each person signs in), or --api-token for a single user.";
        }

        if (!Uri.TryCreate(auth.Issuer, UriKind.Absolute, out var issuer) ||
            !(issuer.Scheme == Uri.UriSchemeHttps || (issuer.Scheme == Uri.UriSchemeHttp && IsLoopback(issuer))))
        {
            return $"--auth-issuer must be an https URL (http only on loopback, for tests), like https://login.example.com/realms/team; not '{Short(auth.Issuer!)}'.";
        }

        if (string.IsNullOrWhiteSpace(auth.Audience) && addresses.Any(a => !a.IsLoopback))
        {
            return "With --auth-issuer beyond loopback, set --auth-audience to the URL your clients use for /mcp (e.g. https://mcp.example.com/mcp): " +
                   "tokens are issued for it, and the server cannot guess its public name.";
        }

        if (!double.IsFinite(auth.MetadataRefreshSeconds) || auth.MetadataRefreshSeconds is < 1 or > 86400)
        {
            return $"Auth:MetadataRefreshSeconds must be between 1 and 86400, not {auth.MetadataRefreshSeconds}.";
        }

        return null;
    }

    /// <summary>
    /// The grants mapping from <c>McpCloudTools:Auth:Grants</c>: each key (<c>scope:mcp.write</c>, <c>group:sre</c>, <c>*</c>)
    /// with a list of grants or a comma-separated string. Throws <see cref="FormatException"/> naming a bad entry.
    /// </summary>
    public static GrantMapping ReadGrants(IConfiguration configuration, AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(auth);
        var section = configuration.GetSection($"{ServerOptions.Section}:{nameof(ServerOptions.Auth)}:{ServerOptions.GrantsKey}");
        var rules = new Dictionary<string, Grants>(StringComparer.Ordinal);
        foreach (var (path, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
            {
                continue;
            }

            // A list ("group:sre": ["write", "destructive"]) arrives as group:sre:0, group:sre:1; a string as group:sre.
            var last = path.LastIndexOf(':');
            var key = last > 0 && int.TryParse(path.AsSpan(last + 1), out _) ? path[..last] : path;
            foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                rules[key] = rules.GetValueOrDefault(key) | GrantMapping.Parse(key, name);
            }
        }

        return new GrantMapping(rules.Count > 0 ? rules : GrantMapping.DefaultRules,
            auth.GroupClaims.Count > 0 ? [.. auth.GroupClaims] : GrantMapping.DefaultGroupClaims,
            auth.ScopeClaims.Count > 0 ? [.. auth.ScopeClaims] : GrantMapping.DefaultScopeClaims);
    }

    /// <summary>Adds JwtBearer and the MCP scheme for <paramref name="audience"/>.</summary>
    public static void Add(IServiceCollection services, AuthOptions auth, string audience)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(auth);
        var issuer = auth.Issuer!.Trim();
        var refresh = TimeSpan.FromSeconds(auth.MetadataRefreshSeconds);
        services.AddAuthentication()
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.Authority = issuer;
                o.Audience = audience;
                o.RequireHttpsMetadata = new Uri(issuer).Scheme == Uri.UriSchemeHttps;
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.RefreshInterval = refresh;
                o.AutomaticRefreshInterval = TimeSpan.FromHours(12);
                o.BackchannelTimeout = TimeSpan.FromSeconds(10);
                o.Events = new JwtBearerEvents
                {
                    // Instances with caller_role_arn assume their role with the caller's own token (CallerToken); it stays
                    // on the server-side principal, which nothing logs, audits or returns.
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity &&
                            context.SecurityToken is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt)
                        {
                            identity.AddClaim(new System.Security.Claims.Claim(Core.Registry.CallerToken.ClaimType, jwt.EncodedToken));
                        }

                        return Task.CompletedTask;
                    },
                };
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = audience,
                    ValidAlgorithms = Algorithms,
                    ClockSkew = TimeSpan.FromSeconds(60),
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    // A token must name its key (kid): no trying every key of the issuer on a token that names none.
                    TryAllIssuerSigningKeys = false,
                    AuthenticationType = GrantPolicy.SignInAuthenticationType,
                    NameClaimType = "preferred_username",
                    RoleClaimType = "roles",
                };
            })
            .AddMcp(o => o.ResourceMetadata = new()
            {
                Resource = audience,
                AuthorizationServers = [issuer],
                BearerMethodsSupported = ["header"],
                ScopesSupported = [.. auth.Scopes],
                ResourceName = "McpCloudTools",
                ResourceSigningAlgValuesSupported = [.. Algorithms],
            });
    }

    /// <summary>The middleware: authenticates every request to /mcp, /sse, /message and /api, and polices REST mutations.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var path = context.Request.Path.Value ?? "";
        if (!ProtectedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var reason = await ReasonAsync(result, context.RequestAborted).ConfigureAwait(false);
            Record(context, null, $"unauthenticated: {reason}", started);
            await context.ChallengeAsync(McpAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            await WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                $"This endpoint needs 'Authorization: Bearer <access token>' from {options.Auth.Issuer} for this server ({reason}). " +
                "MCP clients discover how to get one from /.well-known/oauth-protected-resource.").ConfigureAwait(false);
            return;
        }

        var user = result.Principal!;
        var scopes = user.FindAll(c => c.Type is "scope" or "scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        if (options.Auth.Scopes.FirstOrDefault(s => !scopes.Contains(s)) is { } missingScope)
        {
            Record(context, AuditCallers.Of(user), $"refused: scope {missingScope}", started);
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', options.Auth.Scopes)}\"";
            await WriteProblemAsync(context, StatusCodes.Status403Forbidden, "Insufficient scope",
                $"Your token lacks the scope '{missingScope}', which this server requires ({string.Join(", ", options.Auth.Scopes)}). Request a token with it.").ConfigureAwait(false);
            return;
        }

        context.User = user;
        if (path.StartsWith("/api", StringComparison.OrdinalIgnoreCase) && RequestAudit.IsMutation(context.Request.Method) &&
            !grants.For(user).HasFlag(Grants.Admin))
        {
            Record(context, AuditCallers.Of(user), "refused: admin", started);
            await WriteProblemAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"{context.Request.Method} {path} changes the server's plugins or clusters and needs the 'admin' grant, which your sign-in does not carry " +
                $"(yours: {GrantPolicy.Names(grants.For(user))}). Ask the server's administrator to map one of your groups to 'admin' (Auth:Grants).").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private void Record(HttpContext context, AuditCaller? caller, string outcome, long started) =>
        audit.Write(new AuditRecord
        {
            Time = DateTimeOffset.UtcNow,
            Caller = caller,
            Transport = context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? "rest" : "http",
            Session = context.Request.Headers["Mcp-Session-Id"].ToString() is { Length: > 0 and <= 200 } s ? s : null,
            Route = $"{context.Request.Method} {Short(context.Request.Path.Value ?? "")}",
            Outcome = outcome,
            DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        });

    private async Task<string> ReasonAsync(AuthenticateResult result, CancellationToken cancellationToken)
    {
        if (result.None || result.Failure is null)
        {
            return "no bearer token";
        }

        // Without the issuer's metadata no key is known: ask the (self-rate-limiting, caching) configuration manager
        // whether it has them, so that an unreachable issuer is named as such rather than as an unknown key.
        if (result.Failure is SecurityTokenSignatureKeyNotFoundException && bearer.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is { } metadata)
        {
            try
            {
                await metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Report("issuer unreachable", e.InnerException?.Message ?? e.Message);
            }
        }

        return Report(Classify(result.Failure), result.Failure.Message);
    }

    private static string Classify(Exception failure) => failure switch
    {
        SecurityTokenNoExpirationException => "token without expiry",
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAlgorithmException => "signing algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException => "unknown signing key",
        SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        InvalidOperationException e when e.Message.Contains("IDX20803", StringComparison.Ordinal) => "issuer unreachable",
        SecurityTokenException => "invalid token",
        _ => "invalid token",
    };

    private string Report(string reason, string detail)
    {
        if (reason == "issuer unreachable")
        {
            if (Interlocked.Exchange(ref _issuerDown, 1) == 0)
            {
                LogIssuerUnreachable(logger, options.Auth.Issuer!, options.Auth.MetadataRefreshSeconds, detail);
            }
        }
        else
        {
            if (Interlocked.Exchange(ref _issuerDown, 0) == 1)
            {
                LogIssuerBack(logger, options.Auth.Issuer!);
            }

            LogRefused(logger, reason);
        }

        return reason;
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    private static bool IsLoopback(Uri uri) =>
        uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string Short(string value) => Fmt.Clip(value, 120);

    [LoggerMessage(LogLevel.Error, "Sign-in: the issuer {Issuer} cannot be reached for its metadata and keys, so every request is answered 401; " +
        "retrying every {Seconds} s (Auth:MetadataRefreshSeconds). Check the URL and the network. ({Reason})")]
    private static partial void LogIssuerUnreachable(ILogger logger, string issuer, double seconds, string reason);

    [LoggerMessage(LogLevel.Information, "Sign-in: the issuer {Issuer} answers again")]
    private static partial void LogIssuerBack(ILogger logger, string issuer);

    [LoggerMessage(LogLevel.Debug, "Sign-in refused a request: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>Audits REST mutations (POST, PUT, PATCH, DELETE under /api) when the audit trail is JSON.</summary>
public sealed class RequestAudit(AuditTrail audit)
{
    /// <summary>Whether <paramref name="method"/> changes something.</summary>
    public static bool IsMutation(string method) => HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!audit.IsJson || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || !IsMutation(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var time = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            await next(context).ConfigureAwait(false);
            ok = context.Response.StatusCode < 400;
        }
        finally
        {
            var path = context.Request.Path.Value ?? "";
            audit.Write(new AuditRecord
            {
                Time = time,
                Caller = AuditCallers.Of(context.User),
                Transport = "rest",
                Route = $"{context.Request.Method} {Fmt.Clip(path, 120)}",
                Outcome = ok ? "ok" : "error",
                DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            });
        }
    }
}
