using System.Globalization;
using System.Text.RegularExpressions;

namespace McpCloudTools.Core.Validation;

/// <summary>
/// What one string argument may hold. A rule checks a value before any call leaves the server and describes itself,
/// so that a refusal says what was wrong, what is valid and what to try.
/// </summary>
public abstract class ArgumentRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="subject">What the value is, with its article: <c>a pod name</c>.</param>
    /// <param name="maxLength">The longest value (the service's own maximum for names).</param>
    /// <param name="hint">What to try, e.g. <c>eks_pod_list shows the pods.</c>; null when there is nothing to look up.</param>
    protected ArgumentRule(string subject, int maxLength, string? hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        Subject = subject;
        MaxLength = maxLength;
        Hint = hint;
    }

    /// <summary>What the value is, with its article: <c>a pod name</c>.</summary>
    public string Subject { get; }

    /// <summary>The longest value accepted.</summary>
    public int MaxLength { get; }

    /// <summary>What to try after a refusal; null when there is nothing to look up.</summary>
    public string? Hint { get; }

    /// <summary>The rule in words, e.g. <c>lower-case letters, digits, '-' and '.', at most 253 characters</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Null when <paramref name="value"/> is valid, else what is wrong with it (<c>it contains '#' at position 6</c>).</summary>
    public abstract string? Problem(string value);

    /// <summary>
    /// The value when it is valid, exactly as given (what is checked is what is sent); otherwise a
    /// <see cref="ToolException"/> naming <paramref name="argument"/>. Null and blank count as missing.
    /// </summary>
    public string Require(string? value, string argument)
    {
        if (string.IsNullOrWhiteSpace(value)) throw ArgumentError.Missing(argument, this);
        return Problem(value) is { } problem ? throw ArgumentError.Invalid(argument, value, problem, this) : value;
    }

    /// <summary>Like <see cref="Require"/>, but null and blank give null (an optional argument left out).</summary>
    public string? Optional(string? value, string argument) => string.IsNullOrWhiteSpace(value) ? null : Require(value, argument);

    /// <summary>What is wrong with a value's length or control characters, shared by the rules.</summary>
    protected string? LengthOrControl(string value, bool allowLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength)
            return $"it is {value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long, more than {MaxLength.ToString("N0", CultureInfo.InvariantCulture)}";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
                return $"it contains the control character {ArgumentText.Character(c)} at position {i + 1}";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return $"it contains a lone UTF-16 surrogate {ArgumentText.Character(c)} at position {i + 1}";
        }
        return null;
    }
}

/// <summary>
/// A name that reaches a URL or an API: a service's own naming rule (pattern and maximum length). <c>.</c> and
/// <c>..</c> are never names, whatever the pattern says: in a URL path they navigate.
/// </summary>
/// <param name="subject">What the value is, with its article: <c>a pod name</c>.</param>
/// <param name="pattern">The service's pattern, anchored.</param>
/// <param name="maxLength">The service's maximum length.</param>
/// <param name="allowed">The characters the pattern allows anywhere, to point at the first one that is not.</param>
/// <param name="description">The rule in words, ending with the length: <c>…, at most 253 characters</c>.</param>
/// <param name="hint">What to try: <c>eks_pod_list shows the pods.</c></param>
public sealed class NameRule(string subject, Regex pattern, int maxLength, Func<char, bool> allowed, string description, string? hint = null)
    : ArgumentRule(subject, maxLength, hint)
{
    /// <inheritdoc />
    public override string Description => description;

    /// <inheritdoc />
    public override string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0) return "it is empty";
        if (value is "." or "..") return $"'{value}' is not a name (in a URL it means {(value == "." ? "this" : "the parent")} folder)";
        if (LengthOrControl(value, allowLineBreaks: false) is { } problem) return problem;
        for (var i = 0; i < value.Length; i++)
        {
            if (!allowed(value[i])) return $"it contains {ArgumentText.CharacterAt(value, i)} at position {i + 1}";
        }
        return pattern.IsMatch(value) ? null : $"it is not {Subject}";
    }
}

/// <summary>
/// Free text (a filter, a description, a command line): bounded in length, without control characters other
/// than tab and line breaks where <paramref name="multiline"/> allows them.
/// </summary>
/// <param name="subject">What the value is, with its article.</param>
/// <param name="maxLength">The longest value.</param>
/// <param name="multiline">Whether tab, CR and LF are allowed.</param>
/// <param name="hint">What to try.</param>
public sealed class TextRule(string subject, int maxLength, bool multiline = false, string? hint = null) : ArgumentRule(subject, maxLength, hint)
{
    /// <summary>What an argument without a rule of its own may hold: one line of at most 1,024 characters.</summary>
    public static TextRule Default { get; } = new("a value", DefaultMaxLength);

    /// <summary>The length <see cref="Default"/> allows.</summary>
    public const int DefaultMaxLength = 1024;

    /// <inheritdoc />
    public override string Description => (multiline ? "text" : "one line of text") + $" of at most {MaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters"
        + (multiline ? " without control characters other than tab and line breaks" : " without control characters");

    /// <inheritdoc />
    public override string? Problem(string value) => LengthOrControl(value, multiline);
}
