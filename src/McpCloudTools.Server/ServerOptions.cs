namespace McpCloudTools.Server;

/// <summary>
/// The server's options, bound from the <c>McpCloudTools</c> section of <c>appsettings.json</c>, environment
/// variables (<c>MCPCLOUDTOOLS__ALLOWWRITE=true</c>) and command-line flags, in that order of precedence (flags win).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "McpCloudTools";

    /// <summary><c>stdio</c> (default) or <c>http</c>.</summary>
    public string Transport { get; set; } = "stdio";

    /// <summary>Where Kestrel listens: always in http mode; in stdio mode only when set (REST API beside stdio).</summary>
    public string? Urls { get; set; }

    /// <summary>Advertise and allow write and destructive tools.</summary>
    public bool AllowWrite { get; set; }

    /// <summary>Return sensitive values unredacted.</summary>
    public bool AllowSensitiveData { get; set; }

    /// <summary>Run an in-process sandbox (an emulated AWS account) and point every plugin at it.</summary>
    public bool Sandbox { get; set; }

    /// <summary>
    /// State file path, or a PostgreSQL connection (<c>postgres://user@host:5432/db</c> or an Npgsql connection string)
    /// that replicas share; <c>none</c> keeps state in memory. Default: the user's config folder.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>A file holding the database password (a mounted Secret), used when the connection carries none; then <c>PGPASSWORD</c>.</summary>
    public string? StatePasswordFile { get; set; }

    /// <summary>
    /// Whether <c>/readyz</c> stays ready while the shared state database is out of reach (the server serves its last
    /// state and refuses changes); false takes the replica out of the load balancer instead.
    /// </summary>
    public bool ReadyWhenDegraded { get; set; } = true;

    /// <summary>On SIGTERM, how long in-flight requests may take to finish before the process exits anyway.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = DefaultShutdownTimeoutSeconds;

    /// <summary>Default <see cref="ShutdownTimeoutSeconds"/>: under Kubernetes' default 30 s grace period.</summary>
    public const double DefaultShutdownTimeoutSeconds = 20;

    /// <summary>Bearer token required on /mcp, /sse and /api; mandatory when bound beyond loopback.</summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// Further accepted tokens, one per client: each token is a client identity that MCP sessions are bound to and
    /// counted against (<see cref="MaxSessionsPerClient"/>).
    /// </summary>
    public List<string> ApiTokens { get; set; } = [];

    /// <summary>Browser origins allowed besides loopback ones; they also get CORS headers.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Host names (the <c>Host</c> header) accepted besides loopback ones. Without a token only loopback names and
    /// these are served (DNS rebinding); with a token, setting any turns the check on.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Largest request accepted: an HTTP body or a stdio line, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>Open MCP sessions (Streamable HTTP and legacy SSE) allowed in all.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>Open MCP sessions allowed per client (token, or without a token per browser origin).</summary>
    public int MaxSessionsPerClient { get; set; } = 100;

    /// <summary>A Streamable HTTP session unused for this many seconds is closed.</summary>
    public int SessionIdleSeconds { get; set; } = 1800;

    /// <summary>
    /// Whole-call deadline of a read tool in seconds (<c>--call-timeout</c>); <c>*_wait</c> tools get their wait on
    /// top, write tools none.
    /// </summary>
    public double CallTimeoutSeconds { get; set; } = Core.Mcp.CallLimits.DefaultCallTimeoutSeconds;

    /// <summary>Serve the legacy SSE transport at /sse (HTTP mode).</summary>
    public bool LegacySse { get; set; } = true;

    /// <summary>Default URL in http mode.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Default <see cref="MaxRequestBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The accepted tokens: <see cref="ApiToken"/> and <see cref="ApiTokens"/>, blanks left out.</summary>
    public IReadOnlyList<string> Tokens => [.. new[] { ApiToken }.Concat(ApiTokens).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).Distinct(StringComparer.Ordinal)];

    /// <summary>Why these numbers cannot be used, or null.</summary>
    public string? LimitProblem() =>
        MaxRequestBytes < 1024 ? $"MaxRequestBytes (--max-request-bytes) must be at least 1024, not {MaxRequestBytes}."
        : MaxSessions < 1 ? $"MaxSessions (--max-sessions) must be at least 1, not {MaxSessions}."
        : MaxSessionsPerClient < 1 ? $"MaxSessionsPerClient (--max-sessions-per-client) must be at least 1, not {MaxSessionsPerClient}."
        : SessionIdleSeconds < 1 ? $"SessionIdleSeconds (--session-idle-seconds) must be at least 1, not {SessionIdleSeconds}."
        : !double.IsFinite(ShutdownTimeoutSeconds) || ShutdownTimeoutSeconds is < 0 or > 3600
            ? $"--shutdown-timeout (ShutdownTimeoutSeconds) must be between 0 and 3600 seconds, not {ShutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}."
        : !double.IsFinite(CallTimeoutSeconds) || CallTimeoutSeconds is < 1 or > Core.Mcp.CallLimits.MaxCallTimeoutSeconds
            ? $"--call-timeout (CallTimeoutSeconds) must be between 1 and {Core.Mcp.CallLimits.MaxCallTimeoutSeconds} seconds, not {CallTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}."
        : null;
}
