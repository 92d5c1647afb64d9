namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>
/// EC2's <c>Filter.N.Name</c> / <c>Filter.N.Value.M</c> semantics for one resource type: values of one filter are
/// OR-ed, filters are AND-ed, matching is case-sensitive with <c>*</c> (any run) and <c>?</c> (one character)
/// wildcards, and <c>tag:&lt;key&gt;</c>, <c>tag-key</c>, <c>tag-value</c> work on every taggable resource. An unknown
/// filter name is an error, as on AWS.
/// </summary>
internal sealed class Ec2FilterSet<T>(IReadOnlyDictionary<string, Func<T, IEnumerable<string?>>> fields, Func<T, IReadOnlyList<Ec2Tag>> tags)
{
    /// <summary>Keeps the items matching every filter; validates the filter names first, even for an empty list.</summary>
    public IEnumerable<T> Apply(IEnumerable<T> items, IReadOnlyList<(string Name, IReadOnlyList<string> Values)> filters)
    {
        if (filters.Count == 0) return items;
        var compiled = filters.Select(Compile).ToList();
        return items.Where(item => compiled.All(match => match(item)));
    }

    private Func<T, bool> Compile((string Name, IReadOnlyList<string> Values) filter)
    {
        var (name, values) = filter;
        if (values.Count == 0)
            throw new SandboxApiException(400, "InvalidParameterValue", $"The filter '{name}' has no values; give at least one Filter.N.Value.M.");
        var patterns = values.Select(Glob.Compile).ToList();
        bool AnyMatches(IEnumerable<string?> candidates) => candidates.Any(c => c is not null && patterns.Any(p => p(c)));

        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name[4..];
            return item => AnyMatches(tags(item).Where(t => t.Key == key).Select(t => t.Value));
        }
        if (name == "tag-key") return item => AnyMatches(tags(item).Select(t => t.Key));
        if (name == "tag-value") return item => AnyMatches(tags(item).Select(t => t.Value));
        if (fields.TryGetValue(name, out var field)) return item => AnyMatches(field(item));
        throw new SandboxApiException(400, "InvalidParameterValue", $"The filter '{name}' is invalid");
    }
}

/// <summary>EC2 filter-value wildcards: <c>*</c> matches any run, <c>?</c> one character, <c>\</c> escapes.</summary>
internal static class Glob
{
    /// <summary>A matcher for one filter value.</summary>
    public static Func<string, bool> Compile(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?', '\\']) < 0) return value => string.Equals(value, pattern, StringComparison.Ordinal);
        var tokens = Tokenize(pattern);
        return value => Matches(tokens, 0, value, 0);
    }

    // Tokens: a literal char (Wild = '\0'), or '*' / '?' (Wild set).
    private static List<(char Literal, char Wild)> Tokenize(string pattern)
    {
        var tokens = new List<(char, char)>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) tokens.Add((pattern[++i], '\0'));
            else if (c is '*' or '?') tokens.Add(('\0', c));
            else tokens.Add((c, '\0'));
        }
        return tokens;
    }

    private static bool Matches(List<(char Literal, char Wild)> tokens, int t, string value, int v)
    {
        while (t < tokens.Count)
        {
            var (literal, wild) = tokens[t];
            if (wild == '*')
            {
                for (var skip = v; skip <= value.Length; skip++)
                    if (Matches(tokens, t + 1, value, skip)) return true;
                return false;
            }
            if (v >= value.Length || (wild != '?' && value[v] != literal)) return false;
            t++;
            v++;
        }
        return v == value.Length;
    }
}
