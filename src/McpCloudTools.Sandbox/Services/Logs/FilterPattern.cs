using System.Text;

namespace McpCloudTools.Sandbox.Services.Logs;

/// <summary>
/// CloudWatch Logs filter patterns for unstructured events: terms and <c>"quoted phrases"</c> must all occur,
/// <c>?term</c> alternatives need at least one to occur, <c>-term</c> must not occur; matching is case-sensitive,
/// as in AWS. JSON (<c>{ $.x = … }</c>) and space-delimited (<c>[…]</c>) patterns are refused with a clear error.
/// </summary>
internal sealed class FilterPattern
{
    private readonly List<string> _required = [];
    private readonly List<string> _any = [];
    private readonly List<string> _excluded = [];

    private FilterPattern()
    {
    }

    public static FilterPattern Parse(string? pattern)
    {
        var result = new FilterPattern();
        var text = pattern?.Trim() ?? "";
        if (text.StartsWith('{') || text.StartsWith('['))
            throw new SandboxApiException(400, "InvalidParameterException",
                "The sandbox supports terms, \"quoted phrases\", ?alternatives and -exclusions in filter patterns, not JSON or space-delimited patterns.");
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var prefix = text[i] is '?' or '-' ? text[i++] : ' ';
            string term;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0) throw new SandboxApiException(400, "InvalidParameterException", "Invalid filter pattern: unterminated quote.");
                term = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                term = text[start..i];
            }
            if (term.Length == 0) continue;
            (prefix switch { '?' => result._any, '-' => result._excluded, _ => result._required }).Add(term);
        }
        return result;
    }

    public bool Matches(string message) =>
        _required.TrueForAll(t => message.Contains(t, StringComparison.Ordinal))
        && (_any.Count == 0 || _any.Exists(t => message.Contains(t, StringComparison.Ordinal)))
        && !_excluded.Exists(t => message.Contains(t, StringComparison.Ordinal));

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var t in _required) builder.Append('"').Append(t).Append("\" ");
        foreach (var t in _any) builder.Append("?\"").Append(t).Append("\" ");
        foreach (var t in _excluded) builder.Append("-\"").Append(t).Append("\" ");
        return builder.ToString().TrimEnd();
    }
}
