using McpCloudTools.Core.Validation;

namespace McpCloudTools.Aws;

/// <summary>
/// One label of a restJson1 path (a cluster, function or node group name), validated against the service's naming
/// rule and percent-encoded as a single segment (RFC 3986: <c>arn:aws:…</c> → <c>arn%3Aaws%3A…</c>). The only way a
/// value reaches a request path: <see cref="RestJsonRequest"/> takes these, never strings. Empty, <c>.</c> and
/// <c>..</c> are refused whatever the rule says, since in a path they would name another resource.
/// </summary>
public readonly record struct PathSegment
{
    private PathSegment(string value)
    {
        Value = value;
        Escaped = Uri.EscapeDataString(value);
    }

    /// <summary>The value as given (validated).</summary>
    public string Value { get; }

    /// <summary>The value as it appears in the path.</summary>
    public string Escaped { get; }

    /// <summary>
    /// A segment for <paramref name="value"/>, or a <see cref="Core.ToolException"/> naming <paramref name="what"/> (the
    /// request member, e.g. <c>FunctionName</c>) when it breaks <paramref name="rule"/>.
    /// </summary>
    public static PathSegment Of(string? value, ArgumentRule rule, string what)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrEmpty(value)) throw ArgumentError.Missing(what, rule);
        var problem = value is "." or ".." ? $"'{value}' is not a name (in a path it navigates)" : rule.Problem(value);
        return problem is null ? new PathSegment(value) : throw ArgumentError.Invalid(what, value, problem, rule);
    }

    /// <inheritdoc />
    public override string ToString() => Escaped;
}
