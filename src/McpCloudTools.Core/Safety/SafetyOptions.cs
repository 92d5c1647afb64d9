namespace McpCloudTools.Core.Safety;

/// <summary>What the operator allowed when starting the server. Default: read-only, sensitive data redacted.</summary>
public sealed class SafetyOptions
{
    /// <summary>Advertise and allow write and destructive tools (<c>--allow-write</c>).</summary>
    public bool AllowWrite { get; set; }

    /// <summary>Return secrets, environment values, tokens and presigned URLs unredacted (<c>--allow-sensitive-data</c>).</summary>
    public bool AllowSensitiveData { get; set; }

    /// <summary>Which tools ask a person to confirm before they run (<c>--confirm destructive|write|none</c>).</summary>
    public ConfirmLevel Confirm { get; set; } = ConfirmLevel.Destructive;

    /// <summary>
    /// What a tool that needs confirmation does when the client cannot ask a person (no elicitation support):
    /// run (<c>--confirm-fallback allow</c>, the default: the operator opted in with <c>--allow-write</c>) or refuse.
    /// </summary>
    public bool ConfirmFallbackAllows { get; set; } = true;

    /// <summary>Whether a tool of this access level may be advertised and called.</summary>
    public bool Permits(ToolAccess access) => access == ToolAccess.Read || AllowWrite;

    /// <summary>Whether a call of a tool of this access level asks a person first.</summary>
    public bool NeedsConfirmation(ToolAccess access) => Confirm switch
    {
        ConfirmLevel.Destructive => access == ToolAccess.Destructive,
        ConfirmLevel.Write => access != ToolAccess.Read,
        _ => false,
    };
}

/// <summary>Which tools ask a person to confirm (through MCP elicitation) before they run.</summary>
public enum ConfirmLevel
{
    /// <summary>None.</summary>
    None,
    /// <summary>Destructive tools (<c>destructiveHint: true</c>): terminate, delete, cancel.</summary>
    Destructive,
    /// <summary>Every tool that changes something.</summary>
    Write,
}

/// <summary>What a tool does to the cloud; derived from its MCP annotations, the single source of truth.</summary>
public enum ToolAccess
{
    /// <summary><c>readOnlyHint: true</c>.</summary>
    Read,
    /// <summary>Changes state, not destructively (<c>readOnlyHint: false, destructiveHint: false</c>).</summary>
    Write,
    /// <summary>May destroy state or data (<c>destructiveHint: true</c>).</summary>
    Destructive,
}

/// <summary>
/// Marks a tool whose results can carry sensitive values (secrets, environment values, tokens, presigned URLs).
/// Such values are redacted by the shared redaction step unless <c>--allow-sensitive-data</c> is given.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SensitiveDataAttribute : Attribute;
