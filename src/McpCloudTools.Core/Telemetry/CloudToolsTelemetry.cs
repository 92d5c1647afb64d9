using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpCloudTools.Core.Telemetry;

/// <summary>
/// The server's own spans and metrics, beside what the MCP SDK emits (<see cref="McpSourceName"/>: the server span of
/// every request and <c>mcp.server.operation.duration</c>). Creating a source or an instrument costs nothing when no
/// listener is attached, which is the case unless telemetry is configured (OTLP or <c>--metrics</c>): then no
/// OpenTelemetry provider is built at all, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// and a histogram's record is a no-op.
/// </summary>
public static class CloudToolsTelemetry
{
    /// <summary>The MCP SDK's source and meter name (its spans follow the MCP semantic conventions).</summary>
    public const string McpSourceName = "Experimental.ModelContextProtocol";

    /// <summary>Our source and meter name: AWS calls, Kubernetes calls, registry gauges.</summary>
    public const string SourceName = "McpCloudTools";

    /// <summary>Spans of AWS and Kubernetes calls.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Metrics of AWS calls and registry gauges.</summary>
    public static Meter Meter { get; } = new(SourceName);

    /// <summary>Duration of one AWS call, retries included (histogram, seconds), by <c>rpc.service</c>, <c>rpc.method</c>, <c>error.type</c>.</summary>
    public static Histogram<double> AwsCallDuration { get; } = Meter.CreateHistogram("mcpcloudtools.aws.call.duration", "s",
        "Duration of an AWS API call as the server saw it, retries and their delays included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60] });

    /// <summary>Retries of AWS calls (counter), by <c>rpc.service</c>, <c>rpc.method</c>.</summary>
    public static Counter<long> AwsCallRetries { get; } = Meter.CreateCounter<long>("mcpcloudtools.aws.call.retries", "{retry}",
        "Attempts beyond the first made by AWS API calls.");

    /// <summary>Throttled attempts of AWS calls (counter), by <c>rpc.service</c>, <c>rpc.method</c>.</summary>
    public static Counter<long> AwsCallThrottles { get; } = Meter.CreateCounter<long>("mcpcloudtools.aws.call.throttles", "{attempt}",
        "Attempts of AWS API calls that the service answered with throttling.");

    /// <summary>Duration of one Kubernetes API call (histogram, seconds), by <c>http.request.method</c> and <c>k8s.resource</c>.</summary>
    public static Histogram<double> KubeCallDuration { get; } = Meter.CreateHistogram("mcpcloudtools.kubernetes.call.duration", "s",
        "Duration of a Kubernetes API call.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60] });
}
