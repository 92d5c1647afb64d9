using System.Globalization;
using System.Text;

namespace McpCloudTools.Core.Validation;

/// <summary>
/// How a value the caller gave appears in a message: at most a short prefix, with invisible characters made
/// visible, so that a refusal never echoes a 12 MB argument or a raw control character back.
/// </summary>
public static class ArgumentText
{
    /// <summary>Characters of a value a message shows at most.</summary>
    public const int ShownChars = 64;

    /// <summary><c>'api-1#'</c>, or <c>'first 64 characters…' (12,582,912 characters)</c>.</summary>
    public static string Show(string? value)
    {
        if (value is null) return "null";
        var text = new StringBuilder("'");
        var shown = Math.Min(value.Length, ShownChars);
        if (shown < value.Length && char.IsHighSurrogate(value[shown - 1])) shown--; // never half a pair
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            text.Append(char.IsSurrogate(c) ? IsPaired(value, i) ? c.ToString() : $"\\u{(int)c:x4}"
                : IsInvisible(c) && c != ' ' ? $"\\u{(int)c:x4}"
                : c.ToString());
        }
        text.Append(value.Length > shown ? "…'" : "'");
        if (value.Length > shown) text.Append(CultureInfo.InvariantCulture, $" ({value.Length:N0} characters)");
        return text.ToString();
    }

    /// <summary>One character as a message names it: <c>'#'</c>, <c>' ' (a space)</c>, <c>U+0000</c>, <c>U+202E</c>.</summary>
    public static string Character(char c) => c switch
    {
        ' ' => "' ' (a space)",
        _ when IsInvisible(c) => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    /// <summary>The character (or surrogate pair) at <paramref name="index"/>: <c>'😀' (U+1F600)</c> for a pair.</summary>
    public static string CharacterAt(string value, int index)
    {
        ArgumentNullException.ThrowIfNull(value);
        return char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1])
            ? $"'{value.Substring(index, 2)}' (U+{char.ConvertToUtf32(value[index], value[index + 1]):X})"
            : Character(value[index]);
    }

    // Control, format (bidi overrides, zero-width), separator and unassigned characters read as nothing or mislead.
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned;

    private static bool IsPaired(string value, int i) =>
        char.IsHighSurrogate(value[i]) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
        : i > 0 && char.IsHighSurrogate(value[i - 1]);
}
