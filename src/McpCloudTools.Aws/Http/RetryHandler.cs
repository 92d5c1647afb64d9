using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using McpCloudTools.Core.Mcp;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Aws;

/// <summary>
/// The one retry policy (outermost handler): capped exponential backoff with full jitter on throttling and on
/// transient failures, <c>Retry-After</c> honoured, a timeout per attempt, no replay of a non-idempotent call
/// unless the server clearly refused it, and no new attempt that the call's deadline (<see cref="CallDeadline"/>)
/// leaves no time to finish.
/// </summary>
public sealed partial class RetryHandler(AwsClientOptions options, TimeProvider time, ILogger logger) : DelegatingHandler
{
    private readonly Random? _seeded = options.JitterSeed is { } seed ? new Random(seed) : null;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(AwsRequestOptions.Operation, out var op)
            ? op
            : new AwsOperation(request.Method.Method, Idempotent: request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch);
        if (!request.Options.TryGetValue(AwsRequestOptions.RetryState, out var state))
        {
            state = new AwsRetryState();
            request.Options.Set(AwsRequestOptions.RetryState, state);
        }
        var started = time.GetTimestamp();

        for (var attempt = 1; ; attempt++)
        {
            state.Attempts = attempt;
            var attemptStarted = time.GetTimestamp();
            var (response, failure, refused) = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
            state.Elapsed = time.GetElapsedTime(started);
            var attemptTook = time.GetElapsedTime(attemptStarted);
            var last = attempt >= options.MaxAttempts;

            if (response is not null)
            {
                if ((int)response.StatusCode < 400) return response;
                var code = await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
                var throttled = AwsErrorClassifier.IsThrottling(response.StatusCode, code);
                if (throttled) state.Throttles++;
                var transient = AwsErrorClassifier.IsTransient(response.StatusCode, code);
                // A throttling answer means the request was refused before it did anything: safe to repeat even when
                // the operation is not idempotent. A 5xx may have happened after the work was done.
                if (last || !(throttled || (transient && operation.Idempotent))) return response;

                var delay = Backoff(attempt);
                if (RetryAfter(response) is { } retryAfter)
                {
                    if (retryAfter > options.MaxDelay)
                    {
                        state.GaveUpBecause = string.Create(CultureInfo.InvariantCulture,
                            $"the service asked to wait {retryAfter.TotalSeconds:0} s");
                        return response;
                    }
                    delay = retryAfter > delay ? retryAfter : delay;
                }
                if (!CallDeadline.AllowsAnotherAttempt(delay, attemptTook))
                {
                    state.GaveUpBecause = NoTimeLeft;
                    return response;
                }
                LogRetry(logger, operation.Name, attempt, (int)response.StatusCode, code ?? "-", delay.TotalMilliseconds);
                response.Dispose();
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // No response: connection refused means nothing reached the service; anything else (reset, timeout)
                // is ambiguous, so only idempotent operations go again.
                if (last || !(refused || operation.Idempotent)) ExceptionDispatchInfo.Throw(failure!);
                var delay = Backoff(attempt);
                if (!CallDeadline.AllowsAnotherAttempt(delay, attemptTook))
                {
                    state.GaveUpBecause = NoTimeLeft;
                    ExceptionDispatchInfo.Throw(failure!);
                }
                LogNetworkRetry(logger, operation.Name, attempt, failure!.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Why retrying stopped when the call's deadline left no time for another attempt.</summary>
    public const string NoTimeLeft = "the call's deadline left no time for another attempt; --call-timeout raises it";

    private async Task<(HttpResponseMessage? Response, Exception? Failure, bool Refused)> AttemptAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attemptTimeout = request.Options.TryGetValue(AwsRequestOptions.AttemptTimeout, out var own) ? own : options.AttemptTimeout;
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptCts.CancelAfter(attemptTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attemptCts.Token).ConfigureAwait(false);
            // Reading the body inside the attempt puts it under the same timeout and lets errors be classified.
            await response.Content.LoadIntoBufferAsync(attemptCts.Token).ConfigureAwait(false);
            return (response, null, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            throw;
        }
        catch (OperationCanceledException e)
        {
            response?.Dispose();
            return (null, new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"no complete answer within {attemptTimeout.TotalSeconds:0.#} s"), e), false);
        }
        catch (HttpRequestException e)
        {
            response?.Dispose();
            return (null, e, IsConnectionRefused(e));
        }
    }

    private static bool IsConnectionRefused(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ConnectionError
        && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return AwsErrorDetails.Parse(response.StatusCode, name => ResponseHeaders.Get(response, name), body).Code;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, cap].
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var cap = Math.Min(options.MaxDelay.TotalMilliseconds, exponential);
        double fraction;
        if (_seeded is null) fraction = Random.Shared.NextDouble();
        else lock (_seeded) fraction = _seeded.NextDouble();
        return TimeSpan.FromMilliseconds(cap * fraction);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retrying {Operation} after attempt {Attempt}: HTTP {Status} {Code}; waiting {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, int status, string code, double delayMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retrying {Operation} after attempt {Attempt}: {Error}; waiting {DelayMs:0} ms")]
    private static partial void LogNetworkRetry(ILogger logger, string operation, int attempt, string error, double delayMs);
}

/// <summary>Header lookup across response and content headers, as the error parser needs it.</summary>
internal static class ResponseHeaders
{
    public static string? Get(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;
}
