using System.Globalization;
using System.Text;

namespace McpCloudTools.Core.Output;

/// <summary>
/// The one formatter every tool result goes through: summary lines, tables, <c>key: value</c> details without
/// nulls or empties, and the paging footer (<c>N of M shown</c> plus the next cursor).
/// </summary>
public sealed class ToolOutput
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    /// <summary>Adds a line as is.</summary>
    public ToolOutput Line(string text)
    {
        _sb.Append(' ', _indent * 2).Append(text).Append('\n');
        return this;
    }

    /// <summary>Adds a table (nothing when it is empty).</summary>
    public ToolOutput Table(TextTable table)
    {
        if (_indent == 0)
        {
            table.WriteTo(_sb);
            return this;
        }

        foreach (var line in table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Adds <c>name: value</c>, or nothing when the value is null, blank or an empty collection.</summary>
    public ToolOutput Field(string name, object? value)
    {
        var text = Format(value);
        return text is null ? this : Line($"{name}: {text}");
    }

    /// <summary>Adds a titled, indented block; nothing when the block writes nothing.</summary>
    public ToolOutput Section(string title, Action<ToolOutput> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var mark = _sb.Length;
        Line(title + ":");
        var afterTitle = _sb.Length;
        _indent++;
        body(this);
        _indent--;
        if (_sb.Length == afterTitle)
        {
            _sb.Length = mark;
        }

        return this;
    }

    /// <summary>
    /// The paging footer: nothing when everything fit on one page; <c>N of M shown</c> (or <c>N shown</c> when the
    /// total is unknown) with the next page's cursor while more remain; <c>end of list</c> on the last of several
    /// pages. Also says when the limit was capped.
    /// </summary>
    public ToolOutput Page(int shown, int? total, string? nextCursor, PageRequest request)
    {
        if (request.CappedFrom is { } asked)
        {
            Line($"(limit {asked} capped to {request.Limit})");
        }

        var ofTotal = total is { } t ? $" of {t}" : "";
        if (nextCursor is not null)
        {
            return Line(total is null ? $"{shown} shown, more exist; next page: cursor={nextCursor}" : $"{shown}{ofTotal} shown; next page: cursor={nextCursor}");
        }

        return request.Cursor is null ? this : Line($"{shown} shown; end of list" + (total is { } all ? $" ({all} in all)" : ""));
    }

    /// <inheritdoc />
    public override string ToString() => _sb.ToString().TrimEnd('\n');

    /// <summary>How values print: trimmed strings, invariant numbers, UTC times to the second, lists comma-joined.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        bool b => b ? "yes" : "no",
        DateTimeOffset d => Fmt.Time(d),
        DateTime d => Fmt.Time(new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> list => list.Where(x => !string.IsNullOrWhiteSpace(x)).ToList() is { Count: > 0 } l ? string.Join(", ", l) : null,
        _ => value.ToString() is { Length: > 0 } t ? t : null,
    };
}

/// <summary>Short, exact renderings shared by every plugin.</summary>
public static class Fmt
{
    /// <summary>kubectl-style age: <c>45s</c>, <c>12m</c>, <c>5h</c>, <c>3d</c>, <c>2y</c>.</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is not { } s)
        {
            return "";
        }

        var d = now - s;
        return d.TotalSeconds < 0 ? "0s"
            : d.TotalSeconds < 120 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 120 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h"
            : d.TotalDays < 730 ? $"{(int)d.TotalDays}d"
            : $"{(int)(d.TotalDays / 365)}y";
    }

    /// <summary>UTC time to the second: <c>2026-11-25T10:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Binary size: <c>512B</c>, <c>1.5KiB</c>, <c>3.2GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes}B" : v.ToString(v < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + units[u];
    }

    /// <summary>Counts as <c>running 12, stopped 3</c>, in the order given, zero counts left out.</summary>
    public static string Counts(IEnumerable<KeyValuePair<string, int>> counts) =>
        string.Join(", ", counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"));

    /// <summary>
    /// <paramref name="value"/> as a message quotes it: whole up to <paramref name="max"/> characters, else its first
    /// <paramref name="max"/> (never half of a surrogate pair) and <c>…</c>. For names and paths a caller sent, which may be
    /// any length.
    /// </summary>
    public static string Clip(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= max)
        {
            return value;
        }

        var cut = max > 0 && char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return string.Concat(value.AsSpan(0, cut), "…");
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, saying how much was cut.</summary>
    public static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length - max} more chars)");
}
