using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Reads one instance's config for <see cref="PluginBase.ParseSettings"/>: each value parsed into its type, each
/// problem recorded with the value given (a short prefix) and the valid forms, so that a bad config is refused at
/// once with every problem in one message. Keys are already known to the plugin and values trimmed, one line each.
/// </summary>
public sealed class ConfigReader(IReadOnlyDictionary<string, string> values)
{
    private readonly List<string> _problems = [];

    /// <summary>The raw values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; } = values ?? throw new ArgumentNullException(nameof(values));

    /// <summary>What is wrong so far, one sentence each.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The value of <paramref name="key"/>, or null when unset or blank.</summary>
    public string? Text(string key) => Values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>
    /// The value of <paramref name="key"/> when <paramref name="problem"/> finds nothing wrong with it (null: valid);
    /// otherwise records "<c>key 'value…' problem</c>" and returns null. Unset keys return null without a problem.
    /// </summary>
    public string? Text(string key, Func<string, string?> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (Text(key) is not { } value)
        {
            return null;
        }

        if (problem(value) is { } wrong)
        {
            Problem(key, value, wrong);
            return null;
        }

        return value;
    }

    /// <summary>
    /// The value of <paramref name="key"/> when it follows <paramref name="rule"/> (a name the plugin sends on);
    /// otherwise records the refusal as every argument refusal is worded (<see cref="ArgumentError.Invalid"/>) and returns null.
    /// </summary>
    public string? Text(string key, ArgumentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (Text(key) is not { } value)
        {
            return null;
        }

        if (rule.Problem(value) is { } problem)
        {
            _problems.Add(ArgumentError.Invalid(key, value, problem, rule).Message);
            return null;
        }

        return value;
    }

    /// <summary>Records a problem with <paramref name="key"/>'s <paramref name="value"/>: <paramref name="problem"/> says what is wrong and what is valid.</summary>
    public void Problem(string key, string value, string problem) => _problems.Add($"{key} {ArgumentText.Show(value)} {problem}");

    /// <summary>Records a problem that is about the config as a whole (two keys that exclude each other).</summary>
    public void Problem(string problem) => _problems.Add(problem);

    /// <summary>Throws an <see cref="InvalidConfigException"/> listing every problem, if there is one.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new InvalidConfigException(_problems);
        }
    }
}

/// <summary>An instance's config has problems; the message lists each with the valid forms.</summary>
public sealed class InvalidConfigException(IReadOnlyList<string> problems)
    : ToolException(string.Join("; ", problems) + (problems.Count > 0 && problems[^1].EndsWith('.') ? "" : "."))
{
    /// <summary>Each problem, one sentence.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
