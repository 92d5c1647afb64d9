using System.Text.Json.Serialization;

namespace McpCloudTools.Core.Audit;

/// <summary>
/// One audit line: who did what, where, and how it ended. Never argument values, tokens or results. A new field is one
/// optional member here (null members are left out of the line).
/// </summary>
public sealed record AuditRecord
{
    /// <summary>When the call or request started (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who called; null for the person who started the process (stdio) when nothing else identifies them.</summary>
    public AuditCaller? Caller { get; init; }

    /// <summary><c>stdio</c>, <c>http</c> (Streamable HTTP or legacy SSE) or <c>rest</c>.</summary>
    public required string Transport { get; init; }

    /// <summary>The MCP session, when there is one.</summary>
    public string? Session { get; init; }

    /// <summary>The tool called.</summary>
    public string? Tool { get; init; }

    /// <summary>The resource read (<c>resources/read</c> of a URI no template serves; a template's read is its tool's call).</summary>
    public string? Resource { get; init; }

    /// <summary>
    /// The argument completed, by a <c>completion/complete</c> that read live values: the prompt's name or the template's
    /// URI, <c>#</c>, the argument's name (cut at 200 characters).
    /// </summary>
    public string? Completion { get; init; }

    /// <summary>The HTTP method and path of a REST mutation or a refused request.</summary>
    public string? Route { get; init; }

    /// <summary>The plugin instance the call used.</summary>
    public string? Instance { get; init; }

    /// <summary>The cluster the call acted on.</summary>
    public string? Cluster { get; init; }

    /// <summary>The names of the arguments given (never their values).</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary><c>ok</c>, <c>error</c>, <c>refused: GRANT</c> or <c>unauthenticated: REASON</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>How long it took, in milliseconds.</summary>
    public long? DurationMs { get; init; }

    /// <summary>The AWS request ids of the calls made on its behalf (CloudTrail's <c>requestID</c>).</summary>
    public IReadOnlyList<string>? AwsRequestIds { get; init; }

    /// <summary>
    /// Whether a person confirmed the call before it ran (<c>confirmed by a person</c>, <c>declined by a person</c>,
    /// <c>none needed</c>, the fallback taken when the client cannot ask; see <c>--confirm</c>).
    /// </summary>
    public string? Confirmation { get; init; }

    /// <summary>
    /// The line of an MCP request by <paramref name="user"/> (null over stdio): who, where, what <paramref name="noted"/>
    /// learnt while it ran (instance, cluster, AWS request ids), how it ended and how long it took. The caller adds what
    /// was asked (<see cref="Tool"/> and <see cref="Args"/>, or <see cref="Resource"/>).
    /// </summary>
    public static AuditRecord OfRequest(System.Security.Claims.ClaimsPrincipal? user, string? session, DateTimeOffset startedAt, long elapsedMs,
        AuditScope? noted, string outcome) => new()
    {
        Time = startedAt,
        Caller = AuditCallers.Of(user),
        Transport = user is null ? "stdio" : "http",
        Session = session,
        Instance = noted?.Instance,
        Cluster = noted?.Cluster,
        Outcome = outcome,
        DurationMs = elapsedMs,
        AwsRequestIds = noted?.RequestIds is { Count: > 0 } ids ? ids : null,
    };
}

/// <summary>The caller of an audited request.</summary>
/// <param name="Sub">The token's subject (or the API-token client's identity).</param>
/// <param name="Name">A readable name (<c>preferred_username</c>, <c>name</c>, <c>email</c>), when the token has one.</param>
/// <param name="ClientId">The OAuth client that obtained the token (<c>client_id</c>, <c>azp</c>, <c>appid</c>).</param>
public sealed record AuditCaller(string? Sub, string? Name = null, string? ClientId = null);

/// <summary>Source-generated serialisation of the audit line (NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
public sealed partial class AuditJsonContext : JsonSerializerContext;

/// <summary>Who a principal is, for an audit line.</summary>
public static class AuditCallers
{
    /// <summary>
    /// The caller of a request: a signed-in principal's <c>sub</c>, readable name and client; an API-token or loopback
    /// client's identity; for stdio (no principal) the operating-system user who started the process.
    /// </summary>
    public static AuditCaller Of(System.Security.Claims.ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return new AuditCaller("os:" + Environment.UserName);
        }

        string? First(params string[] types) => types.Select(t => user.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return new AuditCaller(First("sub", System.Security.Claims.ClaimTypes.NameIdentifier),
            First("preferred_username", "name", "email", "upn", "username"), First("client_id", "azp", "appid"));
    }
}
