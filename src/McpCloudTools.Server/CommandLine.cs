namespace McpCloudTools.Server;

/// <summary>
/// The command line: an optional command (<c>sandbox</c>) and flags, turned into configuration keys so flags,
/// environment variables and <c>appsettings.json</c> bind into one options object. Parsed by hand: it is on the
/// start-up path and must stay cheap and trimming-safe.
/// </summary>
public sealed class CommandLine
{
    private static readonly Dictionary<string, string> ValueFlags = new(StringComparer.Ordinal)
    {
        ["--transport"] = "Transport",
        ["--urls"] = "Urls",
        ["--state"] = "StatePath",
        ["--log-level"] = "LogLevel",
        ["--max-request-bytes"] = "MaxRequestBytes",
        ["--max-sessions"] = "MaxSessions",
        ["--max-sessions-per-client"] = "MaxSessionsPerClient",
        ["--session-idle-seconds"] = "SessionIdleSeconds",
        ["--call-timeout"] = "CallTimeoutSeconds",
        ["--confirm"] = "Confirm",
        ["--confirm-fallback"] = "ConfirmFallback",
        ["--auth-issuer"] = "Auth:Issuer",
        ["--auth-audience"] = "Auth:Audience",
        ["--audit-log"] = "AuditLog",
        ["--otlp-endpoint"] = "OtlpEndpoint",
        ["--state-password-file"] = "StatePasswordFile",
        ["--shutdown-timeout"] = "ShutdownTimeoutSeconds",
    };

    private static readonly Dictionary<string, string> BoolFlags = new(StringComparer.Ordinal)
    {
        ["--allow-write"] = "AllowWrite",
        ["--allow-sensitive-data"] = "AllowSensitiveData",
        ["--sandbox"] = "Sandbox",
        ["--no-sse"] = "LegacySse",
        ["--metrics"] = "Metrics",
        ["--ready-when-degraded"] = "ReadyWhenDegraded",
    };

    /// <summary>The command: <c>serve</c> (default), <c>sandbox</c>, <c>help</c> or <c>version</c>.</summary>
    public string Command { get; private init; } = "serve";

    /// <summary>What <c>help</c> prints: the server's options, or the sandbox command's usage.</summary>
    public string HelpText { get; private init; } = Help;

    /// <summary>Configuration keys under <see cref="ServerOptions.Section"/> set by flags.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Arguments for the sandbox: everything after <c>sandbox</c> for that command; <c>--scenario</c> and
    /// <c>--size</c> for the in-process sandbox of <c>--sandbox</c>. The sandbox parses them itself.
    /// </summary>
    public List<string> SandboxArgs { get; } = [];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> with a message for the user.</summary>
    public static CommandLine Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var result = new CommandLine { Command = command };
        if (command is not ("serve" or "sandbox" or "help" or "version"))
        {
            throw new FormatException($"Unknown command '{command}'. Commands: sandbox; or flags only to serve MCP. See --help.");
        }

        if (command == "sandbox")
        {
            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                return new CommandLine { Command = "help", HelpText = McpCloudTools.Sandbox.SandboxCommand.Usage };
            }

            result.SandboxArgs.AddRange(args.Skip(1));
            return result;
        }

        var origins = 0;
        var hosts = 0;
        var tokens = 0;
        var scopes = 0;
        for (var i = command == "serve" && (args.Length == 0 || args[0].StartsWith('-')) ? 0 : 1; i < args.Length; i++)
        {
            var (flag, inline) = Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new FormatException($"{flag} needs a value."));
            switch (flag)
            {
                case "--help" or "-h" or "-?":
                    return new CommandLine { Command = "help" };
                case "--version":
                    return new CommandLine { Command = "version" };
                case "--allowed-origin":
                    result.Settings[$"AllowedOrigins:{origins++}"] = Value();
                    break;
                case "--allowed-host":
                    result.Settings[$"AllowedHosts:{hosts++}"] = Value();
                    break;
                case "--api-token":
                    // The first replaces a token from the environment or appsettings.json; more add client identities.
                    result.Settings[tokens == 0 ? "ApiToken" : $"ApiTokens:{tokens - 1}"] = Value();
                    tokens++;
                    break;
                case "--auth-scope":
                    result.Settings[$"Auth:Scopes:{scopes++}"] = Value();
                    break;
                case "--auth-grant":
                    // KEY=GRANT[,GRANT]: the key holds ':' (scope:mcp.write), so the grants are its value, comma-separated.
                    var grant = Value();
                    var eq = grant.LastIndexOf('=');
                    if (eq <= 0 || eq == grant.Length - 1)
                    {
                        throw new FormatException($"--auth-grant takes KEY=GRANT[,GRANT] (e.g. group:sre=write,destructive), not '{grant}'.");
                    }

                    result.Settings[$"Auth:Grants:{grant[..eq]}"] = grant[(eq + 1)..];
                    break;
                case "--size" or "--scenario" or "--seed" or "--clock-speed" or "--web-identity-issuer" or "--web-identity-audience":
                    result.SandboxArgs.Add(flag);
                    result.SandboxArgs.Add(Value());
                    break;
                default:
                    if (ValueFlags.TryGetValue(flag, out var key))
                    {
                        result.Settings[key] = Value();
                    }
                    else if (BoolFlags.TryGetValue(flag, out var boolKey))
                    {
                        var on = inline is null || inline is "true" or "1" or "yes";
                        result.Settings[boolKey] = (flag == "--no-sse" ? !on : on) ? "true" : "false";
                    }
                    else
                    {
                        throw new FormatException($"Unknown option '{args[i]}'. See --help.");
                    }

                    break;
            }
        }

        if (result.Settings.TryGetValue("Transport", out var t) && t is not ("stdio" or "http"))
        {
            throw new FormatException($"--transport takes stdio or http, not '{t}'.");
        }

        return result;
    }

    /// <summary>The text of <c>--help</c>.</summary>
    public const string Help = """
        mcp-cloud-tools: an MCP server for AWS compute (EKS, EC2, Lambda, AWS Batch).

        Usage:
          mcp-cloud-tools [options]                 serve MCP over stdio (default)
          mcp-cloud-tools --transport http [opts]   serve Streamable HTTP /mcp, legacy SSE /sse, REST /api,
                                                    /healthz (liveness), /readyz (readiness), the status page at /
          mcp-cloud-tools sandbox [--port 4566]     run only the sandbox (an emulated AWS account) for any AWS client

        Options:
          --transport stdio|http     transport (default stdio)
          --urls URL                 HTTP listen address (default http://127.0.0.1:5080 in http mode);
                                     in stdio mode, also serve the REST API there
          --allow-write              advertise and allow write and destructive tools (default: read-only)
          --allow-sensitive-data     show secrets, environment values, tokens (default: redacted)
          --confirm destructive|write|none   which tools ask a person to confirm first, through MCP
                                     elicitation (default destructive: terminate, delete, cancel)
          --confirm-fallback allow|deny      when the client cannot ask: run (default) or refuse
          --sandbox                  run an in-process sandbox and point every plugin at it (no AWS account needed)
          --state PATH|none|DB       state file (default: <user config>/mcp-cloud-tools/state.json), or a
                                     PostgreSQL database that replicas share: postgres://user@host:5432/db
                                     or an Npgsql connection string (Host=...;Database=...)
          --state-password-file FILE the database password when the connection has none (else PGPASSWORD)
          --ready-when-degraded[=false]  /readyz stays ready while the database is away (default true)
          --shutdown-timeout SECONDS on SIGTERM, how long in-flight calls may finish (default 20)
          --api-token TOKEN          bearer token for /mcp, /sse, /api (required when bound beyond loopback);
                                     repeatable: one per client, sessions are bound to the token that opened them
          --auth-issuer URL          sign-in: accept OAuth access tokens (JWT) from this OpenID Connect issuer
                                     instead of API tokens; each caller gets the grants its token maps to
          --auth-audience URI        the audience tokens must carry (default: this server's /mcp URL)
          --auth-scope SCOPE         a scope every token must carry (repeatable)
          --auth-grant KEY=GRANTS    map a token's scope:X, group:X, role:X, sub:X, client:X or * to grants
                                     (read, write, destructive, sensitive, admin; comma-separated; repeatable);
                                     Auth:Grants in appsettings.json. Default: * = read
          --audit-log PATH|stderr    audit trail as JSON lines (default with sign-in: stderr)
          --allowed-origin ORIGIN    allow a browser origin besides loopback, with CORS (repeatable)
          --allowed-host HOST        accept this Host header besides loopback names (repeatable)
          --max-request-bytes N      largest HTTP body or stdio line (default 4194304)
          --max-sessions N, --max-sessions-per-client N   open MCP sessions (default 1000, 100 per client)
          --session-idle-seconds N   close a session unused this long (default 1800)
          --no-sse                   do not serve the legacy SSE transport
          --call-timeout SECONDS     whole-call deadline of read tools (default 45; *_wait tools add their
                                     wait; write tools keep their own timeouts)
          --scenario NAME, --size K=N  with --sandbox: what the sandbox holds (e.g. --size eks.pods=2000)
          --seed N, --clock-speed X    with --sandbox: random seed; how fast sandbox time runs (default 1)
          --web-identity-issuer URL, --web-identity-audience AUD   with --sandbox: the OpenID issuer (and
                                     audiences) the sandbox's STS AssumeRoleWithWebIdentity trusts, as IAM does
          --otlp-endpoint URL        export traces and metrics by OTLP/HTTP (default: OTEL_EXPORTER_OTLP_ENDPOINT;
                                     off when neither is set); OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES honoured
          --metrics                  serve Prometheus text at /metrics (HTTP listener; same token as /api)
          --log-level LEVEL          Trace, Debug, Information (default for McpCloudTools), Warning, Error
          --version, --help

        Sandbox command options:
          --port N (default 4566)  --scenario default  --size key=count (repeatable)  --region R
          --access-key K --secret-key S (default test/test)  --seed N  --clock-speed X
          --web-identity-issuer URL  --web-identity-audience AUD (repeatable)

        Environment: MCPCLOUDTOOLS__<OPTION> (e.g. MCPCLOUDTOOLS__ALLOWWRITE=true), the AWS variables
        (AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL[_<SERVICE>]) and KUBECONFIG.
        MCPCLOUDTOOLS_JIT_PROFILE=off|FOLDER: where a framework-dependent build (not the native binary) keeps the list
        of methods its start compiled, which makes the next start faster (default: the user's cache folder).
        Logs go to stderr; in stdio mode stdout carries only MCP messages.
        """;

    private static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
