using System.Diagnostics;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Mcp;
using SdkRetryHandler = Amazon.Runtime.Internal.RetryHandler;

namespace McpCloudTools.Aws;

/// <summary>
/// Puts an official SDK client (AWSSDK.EC2…) under the shared retry policy: the SDK's standard mode still decides
/// what is retryable and keeps its retry quota, but waits the shared backoff (<see cref="AwsClientOptions.BaseDelay"/>
/// doubling up to <see cref="AwsClientOptions.MaxDelay"/>, full jitter, on the runtime's clock), and every failure
/// records how many attempts it took so the error message can say so. Like our own clients, it starts no attempt
/// that the call's deadline (<see cref="CallDeadline"/>) leaves no time to finish. Call <see cref="Apply"/> from the
/// client's <c>CustomizeRuntimePipeline</c> override.
/// </summary>
public static class AwsSdkRetry
{
    /// <summary>Key in <see cref="Exception.Data"/> holding the attempts a failed call made (an <see cref="int"/>).</summary>
    public const string AttemptsKey = "McpCloudTools.Attempts";

    /// <summary>Key in <see cref="Exception.Data"/> holding why retrying stopped early (a <see cref="string"/>), if it did.</summary>
    public const string GaveUpKey = "McpCloudTools.GaveUp";

    // Per request: how long its last attempt took and the delay chosen before the next, shared by the handlers and
    // the policy without touching the SDK's internals.
    private static readonly ConditionalWeakTable<IRequestContext, AttemptTiming> Timings = new();

    /// <summary>Replaces the pipeline's retry handler and adds the attempt recorder outside it.</summary>
    public static void Apply(RuntimePipeline pipeline, IClientConfig config, AwsRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runtime);
        pipeline.ReplaceHandler<SdkRetryHandler>(new SdkRetryHandler(new SharedBackoffPolicy(config, runtime.Options, runtime.TimeProvider)));
        pipeline.AddHandlerBefore<SdkRetryHandler>(new AttemptRecorder());
        pipeline.AddHandlerAfter<SdkRetryHandler>(new AttemptTimer());
        // Outermost: the call's span and metrics, retries included (AwsCallTelemetry).
        pipeline.AddHandler(new CallTelemetry(config.RegionEndpoint?.SystemName ?? "(unresolved)"));
    }

    /// <summary>The attempts recorded on <paramref name="exception"/> by a client under <see cref="Apply"/>, else null.</summary>
    public static int? Attempts(Exception exception) =>
        exception?.Data[AttemptsKey] is int attempts ? attempts : null;

    /// <summary>Why retrying stopped early, as recorded on <paramref name="exception"/>, else null.</summary>
    public static string? GaveUpBecause(Exception exception) => exception?.Data[GaveUpKey] as string;

    private sealed class AttemptTiming
    {
        public TimeSpan LastAttempt { get; set; }

        public TimeSpan? NextDelay { get; set; }

        public bool StoppedByDeadline { get; set; }

        public int Throttles { get; set; }
    }

    private sealed class SharedBackoffPolicy(IClientConfig config, AwsClientOptions options, TimeProvider time) : StandardRetryPolicy(config)
    {
        private readonly Random? _seeded = options.JitterSeed is { } seed ? new Random(seed) : null;

        public override void WaitBeforeRetry(IExecutionContext executionContext) =>
            Thread.Sleep(TakeDelay(executionContext));

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext) =>
            Task.Delay(TakeDelay(executionContext), time, executionContext.RequestContext.CancellationToken);

        public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
            base.RetryForException(executionContext, exception) && DeadlineAllows(executionContext);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
            await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false) && DeadlineAllows(executionContext);

        // Asked only for a retryable failure: the delay is chosen now, so that the deadline check and the wait agree.
        private bool DeadlineAllows(IExecutionContext executionContext)
        {
            var timing = Timings.GetOrCreateValue(executionContext.RequestContext);
            var delay = Delay(executionContext.RequestContext.Retries + 1);
            timing.NextDelay = delay;
            if (CallDeadline.AllowsAnotherAttempt(delay, timing.LastAttempt)) return true;
            timing.StoppedByDeadline = true;
            return false;
        }

        private TimeSpan TakeDelay(IExecutionContext executionContext)
        {
            var timing = Timings.GetOrCreateValue(executionContext.RequestContext);
            var delay = timing.NextDelay ?? Delay(executionContext.RequestContext.Retries);
            timing.NextDelay = null;
            return delay;
        }

        // Full jitter, as RetryHandler does for our own clients: uniform in [0, min(MaxDelay, BaseDelay·2^(retry-1))].
        private TimeSpan Delay(int retry)
        {
            var cap = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1)));
            double fraction;
            if (_seeded is null) fraction = Random.Shared.NextDouble();
            else lock (_seeded) fraction = _seeded.NextDouble();
            return TimeSpan.FromMilliseconds(cap * fraction);
        }
    }

    private sealed class AttemptRecorder : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (Exception e)
            {
                Record(e, executionContext);
                throw;
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Record(e, executionContext);
                throw;
            }
        }

        private static void Record(Exception e, IExecutionContext executionContext)
        {
            e.Data[AttemptsKey] = executionContext.RequestContext.Retries + 1;
            if (Timings.TryGetValue(executionContext.RequestContext, out var timing) && timing.StoppedByDeadline)
                e.Data[GaveUpKey] = RetryHandler.NoTimeLeft;
        }
    }

    /// <summary>Inside the retry handler: times each attempt, for the deadline check before the next.</summary>
    private sealed class AttemptTimer : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (AmazonServiceException e) when (AwsErrorClassifier.IsThrottling(e.StatusCode == 0 ? null : e.StatusCode, AwsErrorDetails.CleanCode(e.ErrorCode)))
            {
                Timings.GetOrCreateValue(executionContext.RequestContext).Throttles++;
                throw;
            }
            finally
            {
                Timings.GetOrCreateValue(executionContext.RequestContext).LastAttempt = Stopwatch.GetElapsedTime(started);
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (AwsErrorClassifier.IsThrottling(e.StatusCode == 0 ? null : e.StatusCode, AwsErrorDetails.CleanCode(e.ErrorCode)))
            {
                Timings.GetOrCreateValue(executionContext.RequestContext).Throttles++;
                throw;
            }
            finally
            {
                Timings.GetOrCreateValue(executionContext.RequestContext).LastAttempt = Stopwatch.GetElapsedTime(started);
            }
        }
    }

    /// <summary>The whole call, retries included, as <see cref="AwsCallTelemetry"/>: service, operation, region, request id, retries, throttles.</summary>
    private sealed class CallTelemetry(string region) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            var call = Start(executionContext);
            try
            {
                base.InvokeSync(executionContext);
                End(call, executionContext, null);
            }
            catch (Exception e)
            {
                End(call, executionContext, e);
                throw;
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var call = Start(executionContext);
            try
            {
                var result = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                End(call, executionContext, null);
                return result;
            }
            catch (Exception e)
            {
                End(call, executionContext, e);
                throw;
            }
        }

        private AwsCallTelemetry Start(IExecutionContext executionContext)
        {
            var request = executionContext.RequestContext;
            var operation = request.RequestName.EndsWith("Request", StringComparison.Ordinal) ? request.RequestName[..^"Request".Length] : request.RequestName;
            return AwsCallTelemetry.Start(request.ServiceMetaData?.ServiceId ?? request.ClientConfig.AuthenticationServiceName ?? "aws", operation, region);
        }

        private static void End(AwsCallTelemetry call, IExecutionContext executionContext, Exception? failure)
        {
            var throttles = Timings.TryGetValue(executionContext.RequestContext, out var timing) ? timing.Throttles : 0;
            var requestId = failure is AmazonServiceException service ? service.RequestId
                : executionContext.ResponseContext?.Response?.ResponseMetadata?.RequestId;
            var errorType = failure switch
            {
                null => null,
                AmazonServiceException s when !string.IsNullOrEmpty(s.ErrorCode) => AwsErrorDetails.CleanCode(s.ErrorCode),
                OperationCanceledException => "cancelled",
                _ => failure.GetType().Name,
            };
            // The audit line of the tool call that made it names the request too (CloudTrail's requestID).
            AuditScope.NoteRequestId(requestId);
            call.End(executionContext.RequestContext.Retries + 1, throttles, string.IsNullOrEmpty(requestId) ? null : requestId, errorType);
        }
    }
}
