using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpCloudTools.Sandbox.Services.Lambda;

/// <summary>What a sandbox function does, chosen by a word in its handler name.</summary>
internal enum BehaviourKind
{
    /// <summary>Returns <c>{"statusCode":200,"body":"ok"}</c> after one log line.</summary>
    Default,

    /// <summary><c>echo</c>: returns the payload as it came.</summary>
    Echo,

    /// <summary><c>fail</c>: raises an unhandled error (type, message, stack trace).</summary>
    Fail,

    /// <summary><c>timeout</c>: runs until its timeout (<c>Sandbox.Timedout</c>).</summary>
    Timeout,

    /// <summary><c>logs</c>: prints <c>lines</c> log lines (payload member, default 20).</summary>
    Logs,

    /// <summary><c>slow</c>: takes <c>seconds</c> (payload member, default 5) of sandbox time, then returns; past the timeout it times out.</summary>
    Slow,
}

/// <summary>The result of running a function body: what it returned, how long it took, what it printed.</summary>
/// <param name="Duration">Run time in sandbox time.</param>
/// <param name="Payload">The response payload.</param>
/// <param name="FunctionError">Null on success, else the <c>X-Amz-Function-Error</c> value.</param>
/// <param name="Lines">Application log lines with their offset from the start.</param>
/// <param name="TimedOut">True when the run hit the function's timeout.</param>
internal sealed record InvocationOutcome(TimeSpan Duration, byte[] Payload, string? FunctionError,
    IReadOnlyList<(TimeSpan Offset, string Message)> Lines, bool TimedOut);

/// <summary>
/// Deterministic function bodies: the handler name picks the behaviour, the payload tunes it, and log lines follow
/// the runtime's format (Python's <c>[LEVEL]</c> prefix, Node's tab-separated lines), so log tails read like AWS's.
/// </summary>
internal static class LambdaBehaviour
{
    private static readonly (string Word, BehaviourKind Kind)[] Words =
    [
        ("echo", BehaviourKind.Echo), ("fail", BehaviourKind.Fail), ("timeout", BehaviourKind.Timeout),
        ("logs", BehaviourKind.Logs), ("slow", BehaviourKind.Slow),
    ];

    public static BehaviourKind Of(string? handler) =>
        Words.FirstOrDefault(w => handler?.Contains(w.Word, StringComparison.OrdinalIgnoreCase) == true).Kind;

    public static InvocationOutcome Run(FunctionConfig config, byte[] payload, JsonElement? input, string requestId, DateTimeOffset start)
    {
        var python = config.Runtime?.StartsWith("python", StringComparison.Ordinal) == true;
        string Line(TimeSpan offset, string level, string text) => python
            ? $"[{level}]\t{Stamp(start + offset)}\t{requestId}\t{text}"
            : $"{Stamp(start + offset)}\t{requestId}\t{level}\t{text}";
        var timeout = TimeSpan.FromSeconds(config.Timeout);

        switch (Of(config.Handler))
        {
            case BehaviourKind.Echo:
                return new(TimeSpan.FromMilliseconds(1.8 + payload.Length / 1e5), payload.Length == 0 ? "{}"u8.ToArray() : payload, null,
                    [(TimeSpan.FromMilliseconds(1), Line(TimeSpan.FromMilliseconds(1), "INFO", $"echoing {payload.Length} bytes"))], false);
            case BehaviourKind.Fail:
                return Fail(python, requestId, start);
            case BehaviourKind.Timeout:
                return TimedOut(timeout, requestId, start, [(TimeSpan.FromMilliseconds(3), Line(TimeSpan.FromMilliseconds(3), "INFO", "starting job"))]);
            case BehaviourKind.Logs:
                var count = Math.Clamp(Number(input, "lines") is { } n ? (int)n : 20, 0, 10_000);
                var lines = Enumerable.Range(1, count).Select(i =>
                {
                    var at = TimeSpan.FromMilliseconds(1 + i * 0.05);
                    return (at, Line(at, "INFO", $"audit event {i} of {count}: user-{i % 97} read /orders/{1000 + i}"));
                }).ToList();
                return new(TimeSpan.FromMilliseconds(2 + count * 0.05), Json($"{{\"printed\":{count}}}"), null, lines, false);
            case BehaviourKind.Slow:
                var seconds = Math.Max(0, Number(input, "seconds") ?? 5);
                var work = TimeSpan.FromSeconds(seconds);
                List<(TimeSpan, string)> started = [(TimeSpan.FromMilliseconds(2), Line(TimeSpan.FromMilliseconds(2), "INFO", "generating report"))];
                if (work >= timeout) return TimedOut(timeout, requestId, start, started);
                started.Add((work, Line(work, "INFO", string.Create(CultureInfo.InvariantCulture, $"report done in {seconds:0.###} s"))));
                return new(work, Json(string.Create(CultureInfo.InvariantCulture, $"{{\"status\":\"done\",\"seconds\":{seconds}}}")), null, started, false);
            default:
                return new(TimeSpan.FromMilliseconds(3.2), Json("{\"statusCode\":200,\"body\":\"ok\"}"), null,
                    [(TimeSpan.FromMilliseconds(1), Line(TimeSpan.FromMilliseconds(1), "INFO", "handled event"))], false);
        }
    }

    /// <summary>The START, END and REPORT lines Lambda writes around every invocation, with the application's lines between.</summary>
    public static List<(TimeSpan Offset, string Message)> Platform(FunctionConfig config, string requestId, InvocationOutcome outcome,
        TimeSpan? initDuration, int maxMemoryUsed)
    {
        var duration = outcome.Duration.TotalMilliseconds;
        var report = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {requestId}\tDuration: {duration:0.00} ms\tBilled Duration: {Math.Ceiling(duration):0} ms\tMemory Size: {config.MemorySize} MB\tMax Memory Used: {maxMemoryUsed} MB"));
        if (initDuration is { } init) report.Append(CultureInfo.InvariantCulture, $"\tInit Duration: {init.TotalMilliseconds:0.00} ms");
        if (outcome.TimedOut) report.Append("\tStatus: timeout");
        var lines = new List<(TimeSpan, string)> { (TimeSpan.Zero, $"START RequestId: {requestId} Version: {config.Version}") };
        lines.AddRange(outcome.Lines);
        lines.Add((outcome.Duration, $"END RequestId: {requestId}"));
        lines.Add((outcome.Duration, report.ToString()));
        return lines;
    }

    private static InvocationOutcome Fail(bool python, string requestId, DateTimeOffset start)
    {
        const string message = "Invalid webhook signature";
        var at = TimeSpan.FromMilliseconds(4);
        if (python)
        {
            string[] stack = ["  File \"/var/task/fail.py\", line 14, in handler\n    verify(event)\n", "  File \"/var/task/fail.py\", line 9, in verify\n    raise ValueError(\"Invalid webhook signature\")\n"];
            var log = $"[ERROR] ValueError: {message}\nTraceback (most recent call last):\n{string.Concat(stack).TrimEnd('\n')}";
            return new(TimeSpan.FromMilliseconds(5.4), ErrorPayload(message, "ValueError", requestId, [.. stack]), "Unhandled", [(at, log)], false);
        }
        string[] frames = [$"Error: {message}", "    at verify (file:///var/task/fail.mjs:9:11)", "    at Runtime.handler (file:///var/task/fail.mjs:14:3)"];
        var body = ErrorPayload(message, "Error", null, [.. frames]);
        return new(TimeSpan.FromMilliseconds(5.4), body, "Unhandled",
            [(at, $"{Stamp(start + at)}\t{requestId}\tERROR\tInvoke Error \t{Encoding.UTF8.GetString(body)}")], false);
    }

    private static InvocationOutcome TimedOut(TimeSpan timeout, string requestId, DateTimeOffset start, List<(TimeSpan, string)> before)
    {
        var seconds = timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        before.Add((timeout, $"{Stamp(start + timeout)} {requestId} Task timed out after {seconds} seconds"));
        var body = ErrorPayload($"RequestId: {requestId} Error: Task timed out after {seconds} seconds", "Sandbox.Timedout", null, null);
        return new(timeout, body, "Unhandled", before, true);
    }

    // Written by hand rather than through the context: the default encoder escapes quotes as \u0022, which
    // Lambda's runtimes never do, and stack traces are full of quotes.
    private static byte[] ErrorPayload(string message, string type, string? requestId, List<string>? stack)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", message);
            json.WriteString("errorType", type);
            if (requestId is not null) json.WriteString("requestId", requestId);
            if (stack is not null)
            {
                json.WriteStartArray("stackTrace");
                foreach (var frame in stack) json.WriteStringValue(frame);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static double? Number(JsonElement? input, string name) =>
        input is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : null;

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
