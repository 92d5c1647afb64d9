using System.Text;

namespace McpCloudTools.Sandbox.Services.Lambda;

public sealed partial class LambdaService
{
    private const int SyncPayloadLimit = 6 * 1024 * 1024;
    private const int AsyncPayloadLimit = 1024 * 1024;
    private const int LogTailBytes = 4 * 1024;

    /// <summary>
    /// <c>Invoke</c>: RequestResponse (200, result payload, <c>X-Amz-Function-Error</c> when the function failed,
    /// <c>X-Amz-Log-Result</c> with the base64 last 4 KB of the log for <c>X-Amz-Log-Type: Tail</c>), Event (202) or
    /// DryRun (204). A synchronous call lasts the function's duration in sandbox time; logs land in CloudWatch Logs.
    /// </summary>
    private async Task InvokeAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var type = request.Header("X-Amz-Invocation-Type") ?? "RequestResponse";
        if (type is not ("RequestResponse" or "Event" or "DryRun"))
            throw Validation($"1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        var logType = request.Header("X-Amz-Log-Type") ?? "None";
        if (logType is not ("None" or "Tail"))
            throw Validation($"1 validation error detected: Value '{logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]");
        var limit = type == "Event" ? AsyncPayloadLimit : SyncPayloadLimit;
        if (request.Body.Length > limit)
            throw new SandboxApiException(413, "RequestTooLargeException",
                $"Request must be smaller than {limit} bytes for the {(type == "Event" ? "InvokeAsync" : "InvokeFunction")} operation");
        var input = ParseJson(request.Body);

        Invocation? run = null;
        lock (_gate)
        {
            var (function, config, _) = Resolve(route["FunctionName"], Query(request).Get("Qualifier"));
            // DryRun only checks permission and parameters: it neither runs nor wakes the function.
            if (type != "DryRun")
            {
                EnsureInvocable(function);
                config = PickVersion(function, config, route["FunctionName"], Query(request).Get("Qualifier"));
                run = Start(function, config, request.Body, input);
            }
        }

        var response = request.Http.Response;
        response.Headers["x-amzn-RequestId"] = request.RequestId;
        if (run is null)
        {
            // DryRun: permission and parameters checked, nothing ran.
            response.StatusCode = 204;
            return;
        }

        if (type == "Event")
        {
            // Queued and run at once here; the caller only learns that it was accepted.
            WriteLogs(run);
            response.StatusCode = 202;
            return;
        }

        // The caller waits as long as the function runs on the sandbox clock (at most its timeout, ≤ 900 s), so a
        // long invocation is as long as in AWS, or quick at a faster --clock-speed.
        var outcome = run.Outcome;
        var speed = _context.Clock.Speed;
        var wait = speed > 0 ? outcome.Duration / speed : TimeSpan.Zero;
        try
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A caller that gives up does not stop the function: its run still completes and logs.
            WriteLogs(run);
        }

        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers["X-Amz-Executed-Version"] = run.Config.Version;
        if (outcome.FunctionError is { } error) response.Headers["X-Amz-Function-Error"] = error;
        if (logType == "Tail") response.Headers["X-Amz-Log-Result"] = Tail(run.LogLines);
        await response.Body.WriteAsync(outcome.Payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses to run a function that is not Active, as Lambda does. Call under the lock.</summary>
    private void EnsureInvocable(FunctionState function)
    {
        var latest = function.Latest;
        switch (latest.State)
        {
            case "Inactive":
                // AWS restores an idle function's resources on the first call after a while; that call fails.
                function.Latest = latest with { State = "Pending", StateReasonCode = "Restoring", StateReason = "The function is being restored." };
                function.ActiveAt = _context.Clock.UtcNow.AddSeconds(10);
                throw new SandboxApiException(502, "ResourceNotReadyException",
                    "The function is inactive and its resources are being restored. Wait for it to become Active and try again.");
            case "Pending" or "Failed":
                throw Conflict($"The operation cannot be performed at this time. The function is currently in the following state: {latest.State}");
        }
    }

    /// <summary>An alias with routing weights sends a share of calls to its additional version. Call under the lock.</summary>
    private FunctionConfig PickVersion(FunctionState function, FunctionConfig config, string rawName, string? queryQualifier)
    {
        var qualifier = queryQualifier ?? ParseName(rawName).Qualifier;
        if (qualifier is null || !function.Aliases.TryGetValue(qualifier, out var alias)) return config;
        var draw = _random.NextDouble();
        foreach (var (version, weight) in alias.AdditionalVersionWeights)
        {
            if (draw < weight) return function.Version(version) ?? config;
            draw -= weight;
        }
        return config;
    }

    /// <summary>Counts the invocation and runs the function body. Call under the lock.</summary>
    private Invocation Start(FunctionState function, FunctionConfig config, byte[] payload, System.Text.Json.JsonElement? input)
    {
        function.Invocations++;
        var requestId = LambdaSeeder.Guid(_random);
        var start = _context.Clock.UtcNow;
        TimeSpan? init = null;
        if (!function.LogStreams.TryGetValue(config.Version, out var stream))
        {
            // A cold start: a new execution environment, a new log stream, an Init Duration in the REPORT line.
            stream = $"{start.UtcDateTime:yyyy'/'MM'/'dd}/[{config.Version}]{LambdaSeeder.Hex(_random)}{LambdaSeeder.Hex(_random)}";
            function.LogStreams[config.Version] = stream;
            init = TimeSpan.FromMilliseconds(120 + _random.Next(0, 300) + _random.NextDouble());
        }
        var outcome = LambdaBehaviour.Run(config, payload, input, requestId, start);
        var used = Math.Min(config.MemorySize, 60 + _random.Next(0, 40));
        var lines = LambdaBehaviour.Platform(config, requestId, outcome, init, used);
        return new Invocation(config, outcome, stream, lines.Select(l => (start + l.Offset, l.Message)).ToList());
    }

    private void WriteLogs(Invocation run) =>
        _context.Logs.Append(run.Config.EffectiveLogGroup, run.Stream, run.LogLines.Select(l =>
            new SandboxLogEvent(l.Time.ToUnixTimeMilliseconds(), l.Message, l.Time.ToUnixTimeMilliseconds() + 90)));

    // The last 4 KB of this invocation's log, base64, as X-Amz-Log-Result carries it.
    private static string Tail(IReadOnlyList<(DateTimeOffset Time, string Message)> lines)
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l.Message + "\n")));
        var start = Math.Max(0, text.Length - LogTailBytes);
        while (start < text.Length && (text[start] & 0xC0) == 0x80) start++;
        return Convert.ToBase64String(text, start, text.Length - start);
    }

    private sealed record Invocation(FunctionConfig Config, InvocationOutcome Outcome, string Stream,
        IReadOnlyList<(DateTimeOffset Time, string Message)> LogLines);
}
