using System.Globalization;
using System.Text;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Aws.Logs;

/// <summary>What to read for a log tail.</summary>
/// <param name="LogGroup">Log group name.</param>
/// <param name="Stream">One stream to tail (Batch job); null reads the whole group (Lambda function).</param>
/// <param name="Since">Only events at or after this time.</param>
/// <param name="FilterPattern">CloudWatch Logs filter pattern (group reads only).</param>
/// <param name="MaxLines">At most this many of the latest events.</param>
/// <param name="MaxBytes">At most this many bytes of text; older lines are dropped first.</param>
public sealed record LogTailRequest(string LogGroup, string? Stream = null, DateTimeOffset? Since = null, string? FilterPattern = null,
    int MaxLines = 100, int MaxBytes = 16 * 1024);

/// <summary>
/// The log reading Lambda and Batch tools share: the latest events of a stream or a group, oldest first, one line
/// each (<c>HH:mm:ss message</c>), within a line and byte budget, with a header that counts what was left out and
/// how many lines look like errors or timeouts, so an agent sees at once whether the tail matters.
/// </summary>
public static class LogTail
{
    private static readonly string[] ErrorMarkers = ["ERROR", "Error:", "Exception", "Traceback", "FATAL", "panic:", "OOMKilled", "Killed"];
    private static readonly string[] TimeoutMarkers = ["Task timed out", "timed out after", "TimeoutError", "deadline exceeded"];

    /// <summary>Reads and formats the tail.</summary>
    public static async Task<string> ReadAsync(ICloudWatchLogsClient logs, LogTailRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var start = request.Since?.ToUnixTimeMilliseconds();
        var end = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(long Time, string Message)> events;
        bool more;
        if (request.Stream is { } stream)
        {
            // Newest first from the end, so a long stream costs one page, then put back in order.
            var page = await logs.GetAllLogEventsAsync(new GetLogEventsRequest
            {
                LogGroupName = request.LogGroup, LogStreamName = stream, StartTime = start, EndTime = end, StartFromHead = false,
                Limit = Math.Min(request.MaxLines, 10000),
            }, new PageLimits(request.MaxLines, 5), cancellationToken).ConfigureAwait(false);
            events = [.. page.Items.Select(e => (e.Timestamp ?? 0, e.Message ?? "")).OrderBy(e => e.Item1)];
            more = page.NextToken is not null;
        }
        else
        {
            // FilterLogEvents reads oldest first; keep the latest MaxLines of a bounded scan.
            var page = await logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
            {
                LogGroupName = request.LogGroup, StartTime = start, EndTime = end, FilterPattern = request.FilterPattern,
            }, new PageLimits(5000, 20), cancellationToken).ConfigureAwait(false);
            events = [.. page.Items.Select(e => (e.Timestamp ?? 0, e.Message ?? "")).OrderBy(e => e.Item1)];
            more = page.NextToken is not null;
        }

        return Format(request, events, more);
    }

    /// <summary>Formats events (oldest first) within the request's budget.</summary>
    public static string Format(LogTailRequest request, IReadOnlyList<(long Time, string Message)> events, bool moreBeforeBudget)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(events);
        var latest = events.Skip(Math.Max(0, events.Count - request.MaxLines)).ToList();
        var lines = new List<string>();
        var bytes = 0;
        for (var i = latest.Count - 1; i >= 0; i--)
        {
            var line = $"{DateTimeOffset.FromUnixTimeMilliseconds(latest[i].Time).UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {OneLine(latest[i].Message)}";
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (bytes + size > request.MaxBytes && lines.Count > 0)
            {
                break;
            }

            lines.Add(line.Length > request.MaxBytes ? Fmt.Truncate(line, request.MaxBytes) : line);
            bytes += size;
        }

        lines.Reverse();
        var errors = events.Count(e => ErrorMarkers.Any(m => e.Message.Contains(m, StringComparison.Ordinal)));
        var timeouts = events.Count(e => TimeoutMarkers.Any(m => e.Message.Contains(m, StringComparison.OrdinalIgnoreCase)));
        var where = request.Stream is null ? request.LogGroup : $"{request.LogGroup} {request.Stream}";
        var header = new StringBuilder(moreBeforeBudget ? $"{where}: latest {events.Count} events (older ones exist)" : $"{where}: {events.Count} events");
        if (request.Since is { } since)
        {
            header.Append(" since ").Append(Fmt.Time(since));
        }

        if (request.FilterPattern is { Length: > 0 } pattern)
        {
            // The caller's own pattern: a long one is not worth repeating in full.
            header.Append(" matching ").Append(Fmt.Truncate(pattern, Core.Validation.ArgumentText.ShownChars));
        }

        if (errors > 0 || timeouts > 0)
        {
            header.Append("; ").Append(Fmt.Counts([new("error lines", errors), new("timeouts", timeouts)]));
        }

        if (lines.Count < events.Count)
        {
            header.Append($"; last {lines.Count} shown");
        }

        return events.Count == 0 ? header + " (no events; widen 'since' or check the name)" : header + "\n" + string.Join("\n", lines);
    }

    private static string OneLine(string message) => message.TrimEnd('\n', '\r').Replace("\r\n", " ⏎ ", StringComparison.Ordinal).Replace('\n', '⏎').Replace('\t', ' ');
}
