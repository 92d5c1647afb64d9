namespace McpCloudTools.Core.Validation;

/// <summary>
/// Declares the rule a tool parameter's values must follow. The call guard checks every declared rule before the
/// tool runs, so a tool never sees (and never sends on) a value its service would read differently. Applies to a
/// <c>string</c>, to each item of a <c>string[]</c>, and to each value of a <c>Dictionary&lt;string, string&gt;</c>.
/// A parameter without one gets <see cref="TextRule.Default"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public abstract class ArgumentRuleAttribute : Attribute
{
    /// <summary>The rule.</summary>
    public abstract ArgumentRule Rule { get; }
}

/// <summary>Free text: at most <paramref name="maxLength"/> characters; one line unless <see cref="Multiline"/>.</summary>
/// <param name="maxLength">The longest value.</param>
public sealed class TextAttribute(int maxLength) : ArgumentRuleAttribute
{
    /// <summary>Whether tab and line breaks are allowed (descriptions, command lines).</summary>
    public bool Multiline { get; init; }

    /// <summary>What the value is, with its article, for messages (default: <c>a value</c>).</summary>
    public string Subject { get; init; } = "a value";

    /// <summary>The longest value.</summary>
    public int MaxLength => maxLength;

    /// <inheritdoc />
    public override ArgumentRule Rule => new TextRule(Subject, maxLength, Multiline);
}
