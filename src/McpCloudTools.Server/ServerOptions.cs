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

    /// <summary>Sign-in with an OpenID Connect provider (<c>--auth-issuer</c>); off when no issuer is set.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>
    /// Where the audit trail goes as JSON lines: a file path or <c>stderr</c> (<c>--audit-log</c>). Default: stderr
    /// JSON lines with sign-in, else the text line in the log.
    /// </summary>
    public string? AuditLog { get; set; }

    /// <summary>
    /// OTLP endpoint (<c>--otlp-endpoint</c>) to export traces and metrics to; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> when
    /// unset. Telemetry is off when neither is set and <see cref="Metrics"/> is off.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Serve Prometheus text at <c>/metrics</c> on the HTTP listener (<c>--metrics</c>), behind the same auth as /api.</summary>
    public bool Metrics { get; set; }

    /// <summary>Default URL in http mode.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Default <see cref="MaxRequestBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The accepted tokens: <see cref="ApiToken"/> and <see cref="ApiTokens"/>, blanks left out.</summary>
    public IReadOnlyList<string> Tokens => [.. new[] { ApiToken }.Concat(ApiTokens).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).Distinct(StringComparer.Ordinal)];

    /// <summary>Which tools ask a person to confirm first (<c>--confirm</c>): destructive (default), write or none.</summary>
    public string Confirm { get; set; } = "destructive";

    /// <summary>When the client cannot ask a person (<c>--confirm-fallback</c>): allow (default) or deny.</summary>
    public string ConfirmFallback { get; set; } = "allow";

    /// <summary>The log level (<c>--log-level</c>), or null for the defaults.</summary>
    public string? LogLevel { get; set; }

    /// <summary>The log levels <c>--log-level</c> takes.</summary>
    public static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    private static readonly (string Key, string Flag, string Kind)[] TypedKeys =
    [
        ("AllowWrite", "--allow-write", "bool"), ("AllowSensitiveData", "--allow-sensitive-data", "bool"), ("Sandbox", "--sandbox", "bool"),
        ("LegacySse", "--no-sse", "bool"), ("MaxRequestBytes", "--max-request-bytes", "int"), ("MaxSessions", "--max-sessions", "int"),
        ("MaxSessionsPerClient", "--max-sessions-per-client", "int"), ("SessionIdleSeconds", "--session-idle-seconds", "int"),
        ("CallTimeoutSeconds", "--call-timeout", "number"),
    ];

    /// <summary>
    /// Why a typed value under <paramref name="section"/> cannot be bound, in the user's words (the binder's own message
    /// names .NET types), or null: which key, where it can come from, what was given and what is expected.
    /// </summary>
    public static string? TypeProblem(Microsoft.Extensions.Configuration.IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (var (key, flag, kind) in TypedKeys)
        {
            if (section[key] is not { } raw)
            {
                continue;
            }

            var value = raw.Trim();
            var ok = kind switch
            {
                "bool" => bool.TryParse(value, out _),
                "int" => long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) &&
                         (key == "MaxRequestBytes" || n is >= int.MinValue and <= int.MaxValue),
                _ => double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _),
            };
            if (!ok)
            {
                var expected = kind switch { "bool" => "true or false", "int" => "a whole number", _ => "a number" };
                return $"{key} ({flag}, MCPCLOUDTOOLS__{key.ToUpperInvariant()} or appsettings.json {Section}:{key}) must be {expected}, " +
                       $"not {Core.Validation.ArgumentText.Show(raw)}.";
            }
        }

        return null;
    }

    /// <summary>
    /// The keys under <paramref name="section"/> (and its <c>Auth</c>) that no setting reads, or null: a misspelt key
    /// would otherwise be ignored, and the server would run without the setting its operator believes is on. Each is
    /// named as appsettings.json and the environment spell it, with the nearest setting when one is close.
    /// </summary>
    public static string? UnknownKeyProblem(Microsoft.Extensions.Configuration.IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var unknown = Unknown(section, Settings<ServerOptions>([DeclaredInstances, DeclaredClusters]))
            .Concat(Unknown(section.GetSection(nameof(Auth)), Settings<AuthOptions>([GrantsKey])))
            .ToList();
        // Named one by one up to a few (each key cut short), then counted: the line stays readable whatever is set.
        var named = string.Join("; ", unknown.Take(MostUnknownNamed)) +
                    (unknown.Count > MostUnknownNamed ? $"; and {unknown.Count - MostUnknownNamed} more" : "");
        return unknown.Count == 0 ? null
            : $"{(unknown.Count == 1 ? "No such setting" : "No such settings")}: {named}. Check the spelling in " +
              "appsettings.json or the MCPCLOUDTOOLS__ variables; a setting not recognised would be ignored.";
    }

    private const int MostUnknownNamed = 5, LongestKeyShown = 60;

    /// <summary>The sections beside the options that <c>Declarations</c> and sign-in read.</summary>
    internal const string DeclaredInstances = "Instances", DeclaredClusters = "Clusters", GrantsKey = "Grants";

    private static string[] Settings<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(
        System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] T>(string[] sections) =>
        [.. typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name), .. sections];

    private static IEnumerable<string> Unknown(Microsoft.Extensions.Configuration.IConfigurationSection section, string[] known) =>
        section.GetChildren().Where(c => !known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).Select(c =>
        {
            if (c.Key.Length > LongestKeyShown)
            {
                // No setting's name is this long, so nothing is near it either.
                return $"{c.Path[..^c.Key.Length]}{Core.Output.Fmt.Clip(c.Key, LongestKeyShown)} ({c.Key.Length} characters)";
            }

            var given = c.Key.ToUpperInvariant();
            var near = known.Select(k => (Key: k, Distance: Distance(k.ToUpperInvariant(), given)))
                .Where(k => k.Distance <= Math.Max(2, k.Key.Length / 4)).OrderBy(k => k.Distance).Select(k => k.Key).FirstOrDefault();
            return $"{c.Path} ({VariableOf(c.Path)}{(near is null ? "" : $"; did you mean {near}?")})";
        });

    /// <summary>The environment variable that sets the configuration key <paramref name="path"/> (under <see cref="Section"/>).</summary>
    internal static string VariableOf(string path) =>
        "MCPCLOUDTOOLS__" + path[(Section.Length + 1)..].Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Edit distance (insertions, deletions, substitutions) between two short names.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary>Why a named choice cannot be used, or null.</summary>
    public string? ChoiceProblem() =>
        Confirm.Trim().ToLowerInvariant() is not ("destructive" or "write" or "none")
            ? $"--confirm (Confirm) takes destructive, write or none, not {Core.Validation.ArgumentText.Show(Confirm)}."
        : ConfirmFallback.Trim().ToLowerInvariant() is not ("allow" or "deny")
            ? $"--confirm-fallback (ConfirmFallback) takes allow or deny, not {Core.Validation.ArgumentText.Show(ConfirmFallback)}."
        : LogLevel is { } level && !LogLevels.Contains(level.Trim(), StringComparer.OrdinalIgnoreCase)
            ? $"--log-level (LogLevel) takes {string.Join(", ", LogLevels)}, not {Core.Validation.ArgumentText.Show(level)}."
        : null;

    /// <summary>The confirmation policy these options name (after <see cref="ChoiceProblem"/> found none).</summary>
    public Core.Safety.ConfirmLevel ConfirmLevel => Confirm.Trim().ToLowerInvariant() switch
    {
        "write" => Core.Safety.ConfirmLevel.Write,
        "none" => Core.Safety.ConfirmLevel.None,
        _ => Core.Safety.ConfirmLevel.Destructive,
    };

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

/// <summary>
/// Sign-in settings (<c>McpCloudTools:Auth</c>). The grants mapping, <c>Auth:Grants</c>, is read by
/// <see cref="Http.SignIn.ReadGrants"/>: its keys hold ':' (<c>scope:mcp.write</c>), which configuration binding splits.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The OpenID Connect issuer (<c>--auth-issuer</c>); its discovery document names the signing keys.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience tokens must carry (<c>--auth-audience</c>); default: this server's <c>/mcp</c> URL.</summary>
    public string? Audience { get; set; }

    /// <summary>Scopes every token must carry (<c>--auth-scope</c>, repeatable); none by default.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Claims carrying groups or roles; default <c>groups</c>, <c>roles</c>, <c>cognito:groups</c>.</summary>
    public List<string> GroupClaims { get; set; } = [];

    /// <summary>Claims carrying scopes; default <c>scope</c>, <c>scp</c>.</summary>
    public List<string> ScopeClaims { get; set; } = [];

    /// <summary>
    /// Least time between two fetches of the issuer's metadata and keys, in seconds: how soon an unreachable issuer
    /// is tried again, and how often an unknown <c>kid</c> may trigger a refetch. Default 30.
    /// </summary>
    public double MetadataRefreshSeconds { get; set; } = 30;

    /// <summary>Whether sign-in is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);
}
