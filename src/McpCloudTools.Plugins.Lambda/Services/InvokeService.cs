using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>
/// Invokes a function and reports what happened in the function's own terms: a function error (the call worked,
/// the code failed) is a normal result that says so; only a failed call is an error. A synchronous call waits as long
/// as the function may run (its configured timeout, read once and cached, plus <see cref="ResponseMargin"/>), so a long
/// run is not mistaken for a network failure.
/// </summary>
public sealed class InvokeService(LambdaClients clients)
{
    /// <summary>Payload characters shown; the full size is always stated.</summary>
    public const int PayloadShown = 4000;

    /// <summary>What a synchronous call waits beyond the function's timeout: a cold start's init phase (≤ 10 s) and the network.</summary>
    public static readonly TimeSpan ResponseMargin = TimeSpan.FromSeconds(10);

    /// <summary>Lambda's largest function timeout, assumed when the configuration cannot be read.</summary>
    private const int MaxFunctionTimeoutSeconds = 900;

    private const int MaxCachedTimeouts = 1024;
    private static readonly TimeSpan TimeoutCacheLife = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string Instance, string Function), (int Seconds, long Until)> _timeouts = new();

    private const int StackShown = 600;

    /// <summary>
    /// Runs <paramref name="function"/> with <paramref name="payload"/>: a JSON value as is, or a string holding JSON
    /// text (validated here first, as agents pass either).
    /// </summary>
    public async Task<string> InvokeAsync(PluginContext context, string function, JsonElement? payload, string? invocationType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = FunctionService.Require(function);
        var type = InvocationType(invocationType);
        var body = PayloadText(payload);
        var aws = clients.For(context);
        int? functionTimeout = null;
        TimeSpan? wait = null;
        if (type == "RequestResponse")
        {
            functionTimeout = await FunctionTimeoutAsync(aws, context.Instance.Id, name, cancellationToken).ConfigureAwait(false);
            var needed = TimeSpan.FromSeconds(functionTimeout.Value) + ResponseMargin;
            var policy = aws.Context.Runtime.Options.AttemptTimeout;
            wait = needed > policy ? needed : policy;
        }
        InvokeResponse response;
        try
        {
            response = await aws.Lambda.InvokeAsync(new InvokeRequest
            {
                FunctionName = name, InvocationType = type, LogType = type == "RequestResponse" ? "Tail" : null,
                Payload = body, ResponseTimeout = wait,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "Timeout" && wait is { } waited)
        {
            // The function may well still be running: its configuration may have changed since it was read, or the
            // answer got lost. Say what happened and how to find out, not "check the network".
            _timeouts.TryRemove((context.Instance.Id, name), out _);
            throw new ToolException(string.Create(CultureInfo.InvariantCulture,
                $"{name} gave no answer within {waited.TotalSeconds:0} s (its timeout of {functionTimeout} s plus {ResponseMargin.TotalSeconds:0} s). ")
                + "The invocation was not retried and the function may still be running, until its own timeout at the latest. "
                + $"Check lambda_function_logs function={name} for its END and REPORT lines (or \"Task timed out\") before invoking again.", e);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.Unavailable && e.ErrorCode != "ResourceNotReadyException")
        {
            // A timeout, reset or 5xx leaves it unknown whether the function ran; the pipeline does not replay
            // Invoke, and the agent should not either without looking.
            throw new ToolException(e.Message + " The invocation may or may not have run, so it was not retried; "
                + "check lambda_function_logs before invoking again.", e);
        }
        return Format(name, type, response);
    }

    /// <summary>
    /// The function's configured timeout in seconds, cached per instance for a few minutes (a qualifier's own
    /// configuration when the name carries one); Lambda's maximum when it cannot be read (e.g. no
    /// <c>lambda:GetFunctionConfiguration</c> permission, or no such function: Invoke then says so itself).
    /// </summary>
    private async Task<int> FunctionTimeoutAsync(LambdaInstanceClients aws, string instance, string name, CancellationToken cancellationToken)
    {
        var now = System.Environment.TickCount64;
        if (_timeouts.TryGetValue((instance, name), out var cached) && cached.Until > now) return cached.Seconds;
        int seconds;
        try
        {
            var config = await aws.Lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = name }, cancellationToken).ConfigureAwait(false);
            seconds = Math.Clamp(config.Timeout ?? MaxFunctionTimeoutSeconds, 1, MaxFunctionTimeoutSeconds);
        }
        catch (AwsServiceException)
        {
            return MaxFunctionTimeoutSeconds;
        }
        if (_timeouts.Count >= MaxCachedTimeouts) _timeouts.Clear();
        _timeouts[(instance, name)] = (seconds, now + (long)TimeoutCacheLife.TotalMilliseconds);
        return seconds;
    }

    /// <summary>The result as text: outcome, error, payload (capped), decoded log tail.</summary>
    internal static string Format(string name, string type, InvokeResponse response)
    {
        var output = new ToolOutput();
        if (type == "DryRun")
            return output.Line($"{name}: DryRun passed (HTTP {response.StatusCode}): the call is allowed and valid; nothing ran.").ToString();
        if (type == "Event")
            return output.Line($"{name}: queued (Event, HTTP {response.StatusCode}); it runs asynchronously, so its result shows only in lambda_function_logs.").ToString();

        var error = response.FunctionError is null ? null : ReadError(response.Payload);
        output.Line($"{name}: {(response.FunctionError is { } kind ? $"FUNCTION ERROR ({kind})" : "succeeded")}, HTTP {response.StatusCode}, version {response.ExecutedVersion ?? "?"}");
        if (error is { } e)
        {
            output.Field("error", e.Type is null ? e.Message : $"{e.Type}: {e.Message}");
            output.Field("stack", e.Stack is null ? null : Fmt.Truncate(e.Stack, StackShown));
            if (e.Type == "Sandbox.Timedout" || e.Message?.Contains("Task timed out", StringComparison.Ordinal) == true)
                output.Line("hint: it ran into its timeout; raise it (lambda_function_update_config timeout) or find what blocks (lambda_function_logs).");
        }
        output.Line(error is null ? Payload(response.Payload) : $"payload: {Fmt.Bytes(response.Payload.Length)} (the error above)");
        if (response.LogResult is { Length: > 0 } tail)
        {
            output.Line("log tail (last 4 KB):");
            foreach (var line in DecodeTail(tail)) output.Line(line);
        }
        return output.ToString();
    }

    internal static string Payload(byte[] payload)
    {
        if (payload.Length == 0) return "payload: empty";
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return $"payload: {Fmt.Bytes(payload.Length)} of binary data (not UTF-8), not shown";
        }
        return text.Length <= PayloadShown
            ? $"payload ({Fmt.Bytes(payload.Length)}): {text}"
            : $"payload ({Fmt.Bytes(payload.Length)}, first {PayloadShown} chars shown): {text[..PayloadShown]}…";
    }

    private static IEnumerable<string> DecodeTail(string base64)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return ["(the log tail could not be decoded; use lambda_function_logs)"];
        }
        return text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r'));
    }

    private static (string? Type, string? Message, string? Stack)? ReadError(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? Text(string member) => root.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            string? stack = null;
            if (root.TryGetProperty("stackTrace", out var frames) && frames.ValueKind == JsonValueKind.Array)
            {
                stack = string.Join(" | ", frames.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String ? f.GetString() ?? "" : f.ToString())
                    .SelectMany(f => f.Split('\n')).Select(f => f.Trim()).Where(f => f.Length > 0));
            }
            return (Text("errorType"), Text("errorMessage"), string.IsNullOrEmpty(stack) ? null : stack);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string InvocationType(string? value) => value?.Trim() switch
    {
        null or "" => "RequestResponse",
        var t when t.Equals("RequestResponse", StringComparison.OrdinalIgnoreCase) => "RequestResponse",
        var t when t.Equals("Event", StringComparison.OrdinalIgnoreCase) => "Event",
        var t when t.Equals("DryRun", StringComparison.OrdinalIgnoreCase) => "DryRun",
        var other => throw new ToolException($"invocation_type '{other}' is not valid: use RequestResponse (wait for the result), "
            + "Event (queue it, no result) or DryRun (check permission and parameters, run nothing)."),
    };

    /// <summary>The payload to send: null for none, a string's JSON text once it parses, any other value as JSON.</summary>
    internal static string? PayloadText(JsonElement? payload)
    {
        if (payload is not { } value || value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) return value.GetRawText();
        var text = value.GetString();
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var _ = JsonDocument.Parse(text);
            return text;
        }
        catch (JsonException e)
        {
            throw new ToolException($"payload is not valid JSON ({e.Message}). Pass a JSON object such as {{\"orderId\": 42}} "
                + "(or JSON text in a string); omit it for an empty event.");
        }
    }
}
