using McpCloudTools.Server.Telemetry;
using Microsoft.Extensions.Configuration;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary>
/// A build without telemetry (<c>-p:TelemetrySupport=false</c>, the benchmark's baseline) refuses telemetry settings
/// with a message that says why, instead of starting without the telemetry a user asked for.
/// </summary>
public sealed class TelemetrySwitchTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void TheReleasedBuild_CarriesTelemetry() => ServerTelemetry.IsSupported.Should().BeTrue();

    [Fact]
    public void ABuildWithoutTelemetry_RefusesOtlpAndMetrics_NamingTheSettings()
    {
        var otlp = ServerTelemetry.StartupProblem(new ServerOptions(), Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")), web: false, supported: false);
        var metrics = ServerTelemetry.StartupProblem(new ServerOptions { Metrics = true }, Config(), web: true, supported: false);

        otlp.Should().Contain("without telemetry").And.Contain("OTEL_EXPORTER_OTLP_ENDPOINT");
        metrics.Should().Contain("without telemetry").And.Contain("--metrics");
        ServerTelemetry.StartupProblem(new ServerOptions(), Config(), web: false, supported: false).Should().BeNull("nothing was asked for");
        ServerTelemetry.StartupProblem(new ServerOptions { Metrics = true }, Config(), web: true, supported: true).Should().BeNull();
    }
}
