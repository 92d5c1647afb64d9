namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// Label selectors as the API server parses them: comma-separated requirements <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists) and <c>!k</c> (does not exist).
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IDictionary<string, string>?, bool>> _requirements = [];

    private LabelSelector() { }

    /// <summary>Matches everything.</summary>
    public static LabelSelector Everything { get; } = new();

    /// <summary>True when the selector has no requirement (it matches every object).</summary>
    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Parses a selector; a malformed one is a 400 as from the API server.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw Invalid(text, "empty requirement");
            var lower = p.ToLowerInvariant();
            int at;
            if ((at = IndexOfWord(lower, " notin ")) > 0)
            {
                var (key, values) = (p[..at].Trim(), Values(p[(at + 7)..], text));
                selector._requirements.Add(l => l is null || !l.TryGetValue(key, out var v) || !values.Contains(v));
            }
            else if ((at = IndexOfWord(lower, " in ")) > 0)
            {
                var (key, values) = (p[..at].Trim(), Values(p[(at + 4)..], text));
                selector._requirements.Add(l => l is not null && l.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if ((at = p.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                var (key, value) = (Key(p[..at], text), p[(at + 2)..].Trim());
                selector._requirements.Add(l => l is null || !l.TryGetValue(key, out var v) || v != value);
            }
            else if ((at = p.IndexOf('=', StringComparison.Ordinal)) > 0)
            {
                var key = Key(p[..at], text);
                var value = p[(at + (p.AsSpan(at).StartsWith("==") ? 2 : 1))..].Trim();
                selector._requirements.Add(l => l is not null && l.TryGetValue(key, out var v) && v == value);
            }
            else if (p.StartsWith('!'))
            {
                var key = Key(p[1..], text);
                selector._requirements.Add(l => l is null || !l.ContainsKey(key));
            }
            else
            {
                var key = Key(p, text);
                selector._requirements.Add(l => l is not null && l.ContainsKey(key));
            }
        }
        return selector;
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IDictionary<string, string>? labels) => _requirements.All(r => r(labels));

    private static int IndexOfWord(string text, string word) => text.IndexOf(word, StringComparison.Ordinal);

    private static string Key(string raw, string text)
    {
        var key = raw.Trim();
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
            throw Invalid(text, $"invalid label key \"{key}\"");
        return key;
    }

    private static HashSet<string> Values(string raw, string text)
    {
        var t = raw.Trim();
        if (!t.StartsWith('(') || !t.EndsWith(')')) throw Invalid(text, "found '" + t + "', expected: '('");
        return [.. t[1..^1].Split(',', StringSplitOptions.TrimEntries)];
    }

    // Commas inside "in (a,b)" do not separate requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static KubeApiException Invalid(string text, string why) =>
        new(400, "BadRequest", $"unable to parse requirement: {why} in label selector \"{text}\"");
}

/// <summary>
/// Field selectors (<c>metadata.name=x,status.phase!=Running</c>): only <c>=</c>, <c>==</c> and <c>!=</c>, and only the
/// fields each kind supports; others are a 400 like the API server's.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    /// <summary>Parses a selector, checking every field against <paramref name="supported"/>.</summary>
    public static FieldSelector Parse(string? text, string kind, IReadOnlyCollection<string> supported)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            var (field, value, isEqual) = notEqual > 0 ? (part[..notEqual], part[(notEqual + 2)..], false)
                : equal > 0 ? (part[..equal], part[(equal + (part.AsSpan(equal).StartsWith("==") ? 2 : 1))..], true)
                : throw new KubeApiException(400, "BadRequest", $"invalid selector: '{text}'; can't understand '{part}'");
            field = field.Trim();
            if (!supported.Contains(field))
                throw new KubeApiException(400, "BadRequest", $"field label not supported: {field}") ;
            selector._terms.Add((field, value.Trim(), isEqual));
        }
        return selector;
    }

    /// <summary>True when the selector has no term (it matches every object).</summary>
    public bool IsEverything => _terms.Count == 0;

    /// <summary>True when every term holds; <paramref name="field"/> reads a field of the object.</summary>
    public bool Matches(Func<string, string?> field) =>
        _terms.All(t => string.Equals(field(t.Field) ?? "", t.Value, StringComparison.Ordinal) == t.Equal);
}
