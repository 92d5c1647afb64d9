using System.Text;

namespace McpCloudTools.Core.Output;

/// <summary>
/// Compact aligned rows, the shape of <c>kubectl get</c>: an upper-case header, one line per item, columns
/// separated by one space and padded to the widest cell, the last column unpadded. Empty cells print as
/// <c>-</c>; a column empty in every row is left out entirely.
/// </summary>
public sealed class TextTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Rows added so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row; missing trailing cells are empty.</summary>
    public TextTable Row(params string?[] cells)
    {
        var row = new string[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            row[i] = i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? Clean(cells[i]!) : "";
        }

        _rows.Add(row);
        return this;
    }

    /// <summary>Writes the table; nothing when it has no rows.</summary>
    public void WriteTo(StringBuilder sb)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        var keep = Enumerable.Range(0, columns.Length).Where(c => _rows.Any(r => r[c].Length > 0)).ToArray();
        var widths = keep.Select(c => Math.Max(columns[c].Length, _rows.Max(r => Math.Max(r[c].Length, 1)))).ToArray();
        WriteLine(sb, keep.Select(c => columns[c].ToUpperInvariant()).ToArray(), widths);
        foreach (var row in _rows)
        {
            WriteLine(sb, keep.Select(c => row[c].Length == 0 ? "-" : row[c]).ToArray(), widths);
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }

    private static void WriteLine(StringBuilder sb, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            sb.Append(cells[i]);
            if (i < cells.Length - 1)
            {
                sb.Append(' ', widths[i] - cells[i].Length + 1);
            }
        }

        sb.Append('\n');
    }

    // A cell is one line; whitespace inside would break the columns for a reader.
    private static string Clean(string s) => s.Contains('\n') || s.Contains('\t') || s.Contains('\r')
        ? string.Join(' ', s.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim()
        : s.Trim();
}
