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

    /// <summary>State file path; <c>none</c> keeps state in memory. Default: the user's config folder.</summary>
    public string? StatePath { get; set; }

    /// <summary>Bearer token required on /mcp, /sse and /api; mandatory when bound beyond loopback.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Browser origins allowed besides loopback ones.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Whole-call deadline of a read tool in seconds (<c>--call-timeout</c>); <c>*_wait</c> tools get their wait on
    /// top, write tools none.
    /// </summary>
    public double CallTimeoutSeconds { get; set; } = Core.Mcp.CallLimits.DefaultCallTimeoutSeconds;

    /// <summary>Serve the legacy SSE transport at /sse (HTTP mode).</summary>
    public bool LegacySse { get; set; } = true;

    /// <summary>Default URL in http mode.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";
}
