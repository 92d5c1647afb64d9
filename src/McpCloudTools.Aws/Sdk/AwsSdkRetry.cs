using Amazon.Runtime;
using Amazon.Runtime.Internal;
using SdkRetryHandler = Amazon.Runtime.Internal.RetryHandler;

namespace McpCloudTools.Aws;

/// <summary>
/// Puts an official SDK client (AWSSDK.EC2…) under the shared retry policy: the SDK's standard mode still decides
/// what is retryable and keeps its retry quota, but waits the shared backoff (<see cref="AwsClientOptions.BaseDelay"/>
/// doubling up to <see cref="AwsClientOptions.MaxDelay"/>, full jitter, on the runtime's clock), and every failure
/// records how many attempts it took so the error message can say so. Call <see cref="Apply"/> from the client's
/// <c>CustomizeRuntimePipeline</c> override.
/// </summary>
public static class AwsSdkRetry
{
    /// <summary>Key in <see cref="Exception.Data"/> holding the attempts a failed call made (an <see cref="int"/>).</summary>
    public const string AttemptsKey = "McpCloudTools.Attempts";

    /// <summary>Replaces the pipeline's retry handler and adds the attempt recorder outside it.</summary>
    public static void Apply(RuntimePipeline pipeline, IClientConfig config, AwsRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runtime);
        pipeline.ReplaceHandler<SdkRetryHandler>(new SdkRetryHandler(new SharedBackoffPolicy(config, runtime.Options, runtime.TimeProvider)));
        pipeline.AddHandlerBefore<SdkRetryHandler>(new AttemptRecorder());
    }

    /// <summary>The attempts recorded on <paramref name="exception"/> by a client under <see cref="Apply"/>, else null.</summary>
    public static int? Attempts(Exception exception) =>
        exception?.Data[AttemptsKey] is int attempts ? attempts : null;

    private sealed class SharedBackoffPolicy(IClientConfig config, AwsClientOptions options, TimeProvider time) : StandardRetryPolicy(config)
    {
        private readonly Random? _seeded = options.JitterSeed is { } seed ? new Random(seed) : null;

        public override void WaitBeforeRetry(IExecutionContext executionContext) =>
            Thread.Sleep(Delay(executionContext.RequestContext.Retries));

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext) =>
            Task.Delay(Delay(executionContext.RequestContext.Retries), time, executionContext.RequestContext.CancellationToken);

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

        private static void Record(Exception e, IExecutionContext executionContext) =>
            e.Data[AttemptsKey] = executionContext.RequestContext.Retries + 1;
    }
}
