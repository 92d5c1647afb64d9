using System.Diagnostics;
using McpCloudTools.Core.Telemetry;

namespace McpCloudTools.Aws;

/// <summary>
/// One AWS call as telemetry: a client span <c>{service}.{operation}</c> (the name the OpenTelemetry AWS SDK
/// instrumentations use) with <c>rpc.system=aws-api</c>, <c>rpc.service</c>, <c>rpc.method</c>, <c>cloud.region</c>,
/// <c>aws.request_id</c>, <c>aws.retries</c> and <c>aws.throttled</c>, and the call's duration, retries and throttles as
/// metrics. Only names from the code and the service's answer go in, never a request's parameters. Used by both
/// pipelines: <see cref="AwsTelemetryHandler"/> for our own clients, <see cref="AwsSdkRetry"/> for the official SDK's.
/// Without a listener (telemetry off) <see cref="Start"/> makes no span and the instruments record nothing.
/// </summary>
public sealed class AwsCallTelemetry
{
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly KeyValuePair<string, object?> _service;
    private readonly KeyValuePair<string, object?> _method;

    private AwsCallTelemetry(string service, string operation, string region)
    {
        _service = new("rpc.service", service);
        _method = new("rpc.method", operation);
        _activity = CloudToolsTelemetry.Source.StartActivity($"{service}.{operation}", ActivityKind.Client);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("rpc.system", "aws-api");
            _activity.SetTag(_service.Key, service);
            _activity.SetTag(_method.Key, operation);
            _activity.SetTag("cloud.region", region);
        }
    }

    /// <summary>Starts the span of a call (the current activity becomes its parent).</summary>
    public static AwsCallTelemetry Start(string service, string operation, string region) => new(service, operation, region);

    /// <summary>
    /// Ends the call: <paramref name="attempts"/> made, how many of them were throttled, the request id of the last
    /// answer, and the error code when it failed (<c>error.type</c>: the AWS error code, or the exception type for a
    /// network failure).
    /// </summary>
    public void End(int attempts, int throttles, string? requestId, string? errorType)
    {
        var retries = Math.Max(0, attempts - 1);
        if (_activity is { IsAllDataRequested: true })
        {
            if (requestId is not null)
            {
                _activity.SetTag("aws.request_id", requestId);
            }

            _activity.SetTag("aws.retries", retries);
            _activity.SetTag("aws.throttled", throttles > 0);
            if (errorType is not null)
            {
                _activity.SetTag("error.type", errorType);
                // The code only: AWS messages can quote the request's names.
                _activity.SetStatus(ActivityStatusCode.Error, errorType);
            }
        }

        _activity?.Dispose();
        if (errorType is null)
        {
            CloudToolsTelemetry.AwsCallDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _service, _method);
        }
        else
        {
            CloudToolsTelemetry.AwsCallDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _service, _method,
                new KeyValuePair<string, object?>("error.type", errorType));
        }

        if (retries > 0)
        {
            CloudToolsTelemetry.AwsCallRetries.Add(retries, _service, _method);
        }

        if (throttles > 0)
        {
            CloudToolsTelemetry.AwsCallThrottles.Add(throttles, _service, _method);
        }
    }
}

/// <summary>Outermost handler of our own AWS clients: the call's span and metrics around the retry handler.</summary>
/// <param name="service">The service the client calls.</param>
/// <param name="region">The region it calls.</param>
public sealed class AwsTelemetryHandler(AwsService service, string region) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.Options.TryGetValue(AwsRequestOptions.Operation, out var op) ? op.Name : request.Method.Method;
        var call = AwsCallTelemetry.Start(service.ServiceId, operation, region);
        if (!request.Options.TryGetValue(AwsRequestOptions.RetryState, out var state))
        {
            state = new AwsRetryState();
            request.Options.Set(AwsRequestOptions.RetryState, state);
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string? errorType = null;
            if ((int)response.StatusCode >= 400)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                errorType = AwsErrorDetails.Parse(response.StatusCode, name => ResponseHeaders.Get(response, name), body).Code
                            ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            call.End(state.Attempts, state.Throttles, ResponseHeaders.Get(response, "x-amzn-RequestId") ?? ResponseHeaders.Get(response, "x-amz-request-id"),
                errorType);
            return response;
        }
        catch (Exception e)
        {
            call.End(state.Attempts, state.Throttles, null, e is OperationCanceledException ? "cancelled" : e.GetType().Name);
            throw;
        }
    }
}
