namespace McpCloudTools.Core.Safety;

/// <summary>What the operator allowed when starting the server. Default: read-only, sensitive data redacted.</summary>
public sealed class SafetyOptions
{
    /// <summary>Advertise and allow write and destructive tools (<c>--allow-write</c>).</summary>
    public bool AllowWrite { get; set; }

    /// <summary>Return secrets, environment values, tokens and presigned URLs unredacted (<c>--allow-sensitive-data</c>).</summary>
    public bool AllowSensitiveData { get; set; }

    /// <summary>Whether a tool of this access level may be advertised and called.</summary>
    public bool Permits(ToolAccess access) => access == ToolAccess.Read || AllowWrite;
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
