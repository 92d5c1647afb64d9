using System.Globalization;
using McpCloudTools.Core;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>Reads a <c>since</c> argument: a duration back from now (<c>30s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>) or an ISO-8601 time.</summary>
public static class SinceParser
{
    /// <summary>The longest look-back accepted (CloudWatch Logs keeps more, but a tail over weeks is never what is meant).</summary>
    public static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(30);

    /// <summary>The start time <paramref name="since"/> names, relative to <paramref name="now"/>.</summary>
    public static DateTimeOffset Parse(string since, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(since);
        var text = since.Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } back && back > TimeSpan.Zero)
                return back <= MaxLookBack ? now - back : throw TooFar(text);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at <= now ? (now - at <= MaxLookBack ? at : throw TooFar(text))
                : throw new ToolException($"since '{text}' is in the future (now {Fmt(now)}). Use a past time or a duration such as 15m.");
        throw new ToolException($"since '{text}' is not understood. Use a duration back from now (30s, 15m, 2h, 7d) or an ISO time (2026-01-05T10:00:00Z).");
    }

    private static ToolException TooFar(string text) =>
        new($"since '{text}' reaches back more than {MaxLookBack.TotalDays:0} days; use a shorter window such as 15m, 2h or 7d.");

    private static string Fmt(DateTimeOffset t) => Core.Output.Fmt.Time(t);
}
