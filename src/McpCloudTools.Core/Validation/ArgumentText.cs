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
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            text.Append(char.IsControl(c) || char.IsSurrogate(c) && !IsPaired(value, i) || c is '\u2028' or '\u2029'
                ? $"\\u{(int)c:x4}"
                : c);
        }
        text.Append(value.Length > shown ? "…'" : "'");
        if (value.Length > shown) text.Append(CultureInfo.InvariantCulture, $" ({value.Length:N0} characters)");
        return text.ToString();
    }

    /// <summary>One character as a message names it: <c>'#'</c>, <c>' ' (space)</c>, <c>U+0000</c>.</summary>
    public static string Character(char c) => c switch
    {
        ' ' => "' ' (a space)",
        _ when char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c) => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private static bool IsPaired(string value, int i) =>
        char.IsHighSurrogate(value[i]) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
        : i > 0 && char.IsHighSurrogate(value[i - 1]);
}
