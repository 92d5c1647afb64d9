using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Telemetry;
using McpCloudTools.Server.Http;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the server, built only when configured: an OTLP endpoint (<c>--otlp-endpoint</c> or
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) or <c>--metrics</c>. Otherwise nothing is registered: no provider, no listener,
/// and every span and instrument of the SDK and of ours stays a no-op.
/// <para>Traces: the MCP SDK's server span per request (the MCP semantic conventions; a client's
/// <c>params._meta.traceparent</c> is its parent), our AWS and Kubernetes call spans under it, ASP.NET Core's request
/// spans and HttpClient's attempt spans (their URLs cut to scheme and host: paths carry names).</para>
/// <para>Metrics: <c>mcp.server.operation.duration</c> and <c>mcp.server.session.duration</c> (SDK), AWS call duration,
/// retries and throttles, Kubernetes call duration, and the registry gauges (<see cref="RegistryGauges"/>).</para>
/// </summary>
internal static class ServerTelemetry
{
    /// <summary>The feature switch of a build without OpenTelemetry (<c>-p:TelemetrySupport=false</c>).</summary>
    public const string SupportSwitch = "McpCloudTools.Telemetry.IsSupported";

    /// <summary>
    /// Whether this build carries OpenTelemetry: true unless built with <c>-p:TelemetrySupport=false</c>, which trims it
    /// out of a NativeAOT binary (the benchmark's measure of what telemetry costs a start when it is off).
    /// </summary>
    [FeatureSwitchDefinition(SupportSwitch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(SupportSwitch, out var on) || on;

    /// <summary>The OTLP endpoint in effect, or null.</summary>
    public static string? OtlpEndpoint(ServerOptions options, IConfiguration configuration) =>
        string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase) ? null
        : !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? options.OtlpEndpoint.Trim()
        : !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]!.Trim()
        : null;

    /// <summary>Why the telemetry settings cannot be used, or null.</summary>
    public static string? StartupProblem(ServerOptions options, IConfiguration configuration, bool web) =>
        StartupProblem(options, configuration, web, IsSupported);

    /// <summary>Why the telemetry settings cannot be used in a build with or without telemetry, or null.</summary>
    internal static string? StartupProblem(ServerOptions options, IConfiguration configuration, bool web, bool supported)
    {
        if (!supported && (options.Metrics || OtlpEndpoint(options, configuration) is not null))
        {
            return "This build of mcp-cloud-tools was made without telemetry (-p:TelemetrySupport=false): --metrics, --otlp-endpoint " +
                   "and OTEL_EXPORTER_OTLP_ENDPOINT need the released package or binary.";
        }

        if (options.Metrics && !web)
        {
            return "--metrics serves /metrics on the HTTP listener: add --urls http://127.0.0.1:PORT (beside stdio) or --transport http.";
        }

        return OtlpEndpoint(options, configuration) is { } endpoint
               && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? $"The OTLP endpoint '{Fmt.Clip(endpoint, 80)}' (from --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT) " +
              "is not an http(s) URL; give the collector's base address, e.g. http://127.0.0.1:4318."
            : null;
    }

    /// <summary>Registers OpenTelemetry when configured; returns whether it did.</summary>
    public static bool Add(IServiceCollection services, ServerOptions options, IConfiguration configuration, bool web)
    {
        var endpoint = OtlpEndpoint(options, configuration);
        if (!IsSupported || (endpoint is null && !options.Metrics))
        {
            return false;
        }

        Register(services, options, configuration, web, endpoint);
        return true;
    }

    /// <summary>
    /// The registration itself, in a method of its own: the JIT compiles a method's whole body, and compiling these
    /// calls loads four OpenTelemetry assemblies, which a start without telemetry (the default) then never loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Register(IServiceCollection services, ServerOptions options, IConfiguration configuration, bool web, string? endpoint)
    {
        var grpc = string.Equals(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "grpc", StringComparison.OrdinalIgnoreCase);
        void Otlp(OtlpExporterOptions o, string signal)
        {
            // http/protobuf unless grpc is asked for: the specification's default, and what every collector serves on 4318.
            o.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            o.Endpoint = grpc ? new Uri(endpoint!) : new Uri(endpoint!.TrimEnd('/') + "/v1/" + signal);
        }

        var named = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
                    || (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Contains("service.name=", StringComparison.Ordinal);
        var builder = services.AddOpenTelemetry().ConfigureResource(r =>
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by the default detectors; ours fills the gaps.
            if (!named)
            {
                r.AddService("mcp-cloud-tools", serviceVersion: CloudToolsApp.Version);
            }
        });
        if (endpoint is not null)
        {
            builder.WithTracing(t =>
            {
                t.AddSource(CloudToolsTelemetry.McpSourceName, CloudToolsTelemetry.SourceName);
                if (web)
                {
                    // Our own endpoints only: the in-process sandbox (--sandbox) is an ASP.NET Core app too, and its URLs carry names.
                    t.AddAspNetCoreInstrumentation(o => o.Filter = http => http.RequestServices.GetService<HttpSecurity>() is not null
                                                                          && !http.Request.Path.StartsWithSegments("/healthz"));
                }

                t.AddHttpClientInstrumentation(o =>
                {
                    o.EnrichWithHttpRequestMessage = (activity, request) =>
                        activity.SetTag("url.full", request.RequestUri?.GetLeftPart(UriPartial.Authority));
                });
                t.AddProcessor(new SpanScrubber());
                t.AddOtlpExporter(o => Otlp(o, "traces"));
            });
        }

        builder.WithMetrics(m =>
        {
            m.AddMeter(CloudToolsTelemetry.McpSourceName, CloudToolsTelemetry.SourceName);
            if (options.Metrics)
            {
                m.AddPrometheusExporter();
            }

            if (endpoint is not null)
            {
                m.AddOtlpExporter(o => Otlp(o, "metrics"));
            }
        });
        services.AddSingleton<RegistryGauges>();
        if (endpoint is null)
        {
            services.AddSingleton<ToolNameListener>();
        }
    }
}

/// <summary>
/// Keeps results out of exported spans: the MCP SDK sets a failed tool call's status description to the result's
/// content (which may quote arguments and carries the tool's output); it is replaced by the <c>error.type</c>.
/// </summary>
internal sealed class SpanScrubber : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Status == ActivityStatusCode.Error && data.StatusDescription is not null)
        {
            data.SetStatus(ActivityStatusCode.Error, data.GetTagItem("error.type") as string ?? "error");
        }
    }
}

/// <summary>
/// The registry as gauges: <c>mcpcloudtools.registry.instances</c>, <c>…instances.enabled</c>,
/// <c>…clusters</c> and <c>mcpcloudtools.sessions</c> (open MCP sessions; 1 over stdio). Made only when telemetry is on.
/// </summary>
internal sealed class RegistryGauges : IDisposable
{
    // A meter of this server's own (same name, so the providers pick it up), disposed with it: the gauges' callbacks
    // hold this server's registry.
    private readonly System.Diagnostics.Metrics.Meter _meter = new(CloudToolsTelemetry.SourceName);

    public RegistryGauges(InstanceRegistry instances, ClusterRegistry clusters, IServiceProvider services)
    {
        var meter = _meter;
        meter.CreateObservableGauge("mcpcloudtools.registry.instances", () => instances.All.Count, "{instance}", "Plugin instances registered.");
        meter.CreateObservableGauge("mcpcloudtools.registry.instances.enabled", () => instances.All.Count(i => i.Enabled), "{instance}",
            "Plugin instances enabled.");
        meter.CreateObservableGauge("mcpcloudtools.registry.clusters", () => clusters.All.Count, "{cluster}", "Clusters known (registered and discovered).");
        var sessions = services.GetService<McpSessions>();
        meter.CreateObservableGauge("mcpcloudtools.sessions", () => sessions?.Count ?? 1, "{session}", "Open MCP sessions.");
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// With metrics but no tracing: the MCP SDK reads a request's tool name (<c>gen_ai.tool.name</c> on
/// <c>mcp.server.operation.duration</c>) only when its activity source has a listener; this one listens and samples
/// nothing, so no span is made and the metric still says which tool.
/// </summary>
internal sealed class ToolNameListener : IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == CloudToolsTelemetry.McpSourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
    };

    public ToolNameListener() => ActivitySource.AddActivityListener(_listener);

    public void Dispose() => _listener.Dispose();
}
