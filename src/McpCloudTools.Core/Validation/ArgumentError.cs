namespace McpCloudTools.Core.Validation;

/// <summary>
/// The one place argument refusals are worded: which argument, a short prefix of what was given, what is wrong,
/// the rule, and what to try.
/// </summary>
public static class ArgumentError
{
    /// <summary><c>Invalid pod 'api-1#': it contains '#' at position 6. A pod name is …. eks_pod_list shows the pods.</c></summary>
    public static InvalidArgumentException Invalid(string argument, string value, string problem, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new InvalidArgumentException($"Invalid {argument} {ArgumentText.Show(value)}: {problem}. {Rule(rule)}");
    }

    /// <summary><c>pod is required: a pod name is ….</c> (a required argument that is missing, empty or blank).</summary>
    public static InvalidArgumentException Missing(string argument, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new InvalidArgumentException($"{argument} is required and was empty. {Rule(rule)}");
    }

    /// <summary><c>pod is required and was not given: a pod name is ….</c> (a required text argument the call left out).</summary>
    public static InvalidArgumentException NotGiven(string argument, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new InvalidArgumentException($"{argument} is required and was not given. {Rule(rule)}");
    }

    /// <summary><c>depends_on[0] is null: give each item as a string; ….</c></summary>
    public static InvalidArgumentException NullItem(string argument, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new InvalidArgumentException($"{argument} is null: give each item as a string. {Rule(rule)}");
    }

    /// <summary><c>instance_ids[1] is empty: give each item as ….</c></summary>
    public static InvalidArgumentException EmptyItem(string argument, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new InvalidArgumentException($"{argument} is empty: leave it out, or give {rule.Subject}. {Rule(rule)}");
    }

    /// <summary><c>job_id is required (a string) and was not given.</c></summary>
    public static ArgumentBindingException MissingArgument(string argument, string expected) =>
        new($"{argument} is required ({expected}) and was not given.");

    /// <summary><c>limit must be an integer, not a string ('many').</c></summary>
    public static ArgumentBindingException WrongType(string argument, string expected, System.Text.Json.JsonElement given)
    {
        var kind = given.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => $"a string ({ArgumentText.Show(given.GetString() ?? "")})",
            System.Text.Json.JsonValueKind.Number => $"the number {ArgumentText.Show(given.GetRawText())}",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => $"{given.GetRawText()}",
            System.Text.Json.JsonValueKind.Array => "a list",
            System.Text.Json.JsonValueKind.Object => "an object",
            _ => given.ValueKind.ToString().ToLowerInvariant(),
        };
        return new ArgumentBindingException($"{argument} must be {expected}, not {kind}.");
    }

    /// <summary>A value whose JSON text was not valid Unicode (a lone UTF-16 surrogate escape such as <c>\ud800</c>).</summary>
    public static InvalidArgumentException NotUnicode(string argument, string problem) =>
        new($"Invalid {argument}: {problem}. Send text as valid Unicode: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one.");

    private static string Rule(ArgumentRule rule)
    {
        var text = $"{Capital(rule.Subject)} is {rule.Description}.";
        return rule.Hint is { Length: > 0 } hint ? $"{text} {hint}" : text;
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>
/// A call's arguments do not bind to the tool's parameters (a required one missing, a value of the wrong JSON type):
/// found by the call guard before the tool runs, and answered as "Invalid arguments for &lt;tool&gt;".
/// </summary>
public sealed class ArgumentBindingException(string message) : InvalidArgumentException(message);

/// <summary>
/// A refused argument (<see cref="ArgumentError"/> words them all): the call guard audits the call's outcome as
/// <see cref="AuditOutcome"/>, the class of failure, so that refused input is told apart from failed work.
/// </summary>
public class InvalidArgumentException(string message) : ToolException(message)
{
    /// <summary>The outcome an audit line gives a call refused for its arguments.</summary>
    public const string AuditOutcome = "error: invalid arguments";
}
