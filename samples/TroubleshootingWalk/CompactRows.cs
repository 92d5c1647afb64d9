namespace TroubleshootingWalk;

/// <summary>One row of a compact table, with the <c>ns &lt;name&gt;:</c> heading it sits under (if any).</summary>
public sealed record CompactRow(string? Group, IReadOnlyDictionary<string, string> Cells)
{
    /// <summary>The cell of <paramref name="column"/> (upper-case header name); empty when the page left the column out.</summary>
    public string this[string column] => Cells.TryGetValue(column, out var value) && value != "-" ? value : "";
}

/// <summary>
/// Reads the server's compact tables back: an upper-case header, rows aligned under it, the last column unpadded,
/// <c>-</c> for an empty cell, and optional <c>ns &lt;name&gt;:</c> headings between groups. A header word starts a
/// column only if every row has a space just before it, so multi-word headers (<c>JOB ID</c>) and cells with spaces
/// in the last column read correctly.
/// </summary>
public static class CompactRows
{
    /// <summary>The rows of every table in <paramref name="text"/> whose header starts with <paramref name="firstColumn"/>.</summary>
    public static IReadOnlyList<CompactRow> Read(string text, string firstColumn)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var rows = new List<CompactRow>();
        string? group = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsHeading(lines[i]))
            {
                group = lines[i][3..^1];
            }
            else if (IsHeader(lines[i], firstColumn))
            {
                var header = lines[i];
                var lastWord = header.LastIndexOf(' ') + 1;
                var body = lines.Skip(i + 1).TakeWhile(l => l.Length > lastWord && !IsHeading(l) && !IsHeader(l, firstColumn) && !IsPaging(l)).ToList();
                rows.AddRange(Parse(header, body, group));
                i += body.Count;
            }
        }

        return rows;
    }

    private static IEnumerable<CompactRow> Parse(string header, List<string> body, string? group)
    {
        var starts = new List<int>();
        for (var p = 0; p < header.Length; p++)
        {
            var wordStart = header[p] != ' ' && (p == 0 || header[p - 1] == ' ');
            if (wordStart && (starts.Count == 0 || body.All(l => l[p - 1] == ' ')))
            {
                starts.Add(p);
            }
        }

        foreach (var line in body)
        {
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < starts.Count; c++)
            {
                var end = c + 1 < starts.Count ? starts[c + 1] : int.MaxValue;
                cells[Slice(header, starts[c], end)] = Slice(line, starts[c], end);
            }

            yield return new CompactRow(group, cells);
        }
    }

    private static string Slice(string s, int start, int end) =>
        start >= s.Length ? "" : s[start..Math.Min(end, s.Length)].Trim();

    private static bool IsHeading(string line) => line.StartsWith("ns ", StringComparison.Ordinal) && line.EndsWith(':');

    private static bool IsHeader(string line, string firstColumn) =>
        line.TrimStart().StartsWith(firstColumn + " ", StringComparison.Ordinal) && line == line.ToUpperInvariant();

    // "14 of 24 shown; next page: cursor=…" closes a page.
    private static bool IsPaging(string line) => line.Contains(" shown", StringComparison.Ordinal) && char.IsAsciiDigit(line[0]);
}
