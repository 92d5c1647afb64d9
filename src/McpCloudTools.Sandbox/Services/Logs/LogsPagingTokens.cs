using System.Globalization;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Logs;

/// <summary>
/// Paging tokens shaped like the real ones: <c>f/…</c> and <c>b/…</c> with 56 digits for <c>GetLogEvents</c>
/// (a position in the stream), opaque base64 for the other operations.
/// </summary>
internal static class LogsPagingTokens
{
    public static string Forward(int position) => "f/" + position.ToString("D56", CultureInfo.InvariantCulture);

    public static string Backward(int position) => "b/" + position.ToString("D56", CultureInfo.InvariantCulture);

    public static (bool Forward, int Position) ParseEventToken(string token)
    {
        if (token.Length != 58 || token[0] is not ('f' or 'b') || token[1] != '/') throw Invalid();
        var digits = token.AsSpan(2);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) throw Invalid();
        }
        var significant = digits.TrimStart('0');
        if (significant.Length > 9) throw Invalid();
        var position = significant.IsEmpty ? 0 : int.Parse(significant, NumberStyles.None, CultureInfo.InvariantCulture);
        return (token[0] == 'f', position);
    }

    public static string Opaque(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    public static string ParseOpaque(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    public static int ParseOffset(string token, string kind)
    {
        var value = ParseOpaque(token);
        return value.StartsWith(kind + ":", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(kind.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw Invalid();
    }

    private static SandboxApiException Invalid() =>
        new(400, "InvalidParameterException", "The specified nextToken is invalid.");
}
