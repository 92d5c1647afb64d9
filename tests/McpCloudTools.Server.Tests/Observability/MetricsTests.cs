using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using McpCloudTools.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary><c>--metrics</c>: Prometheus text at /metrics behind the /api auth, and telemetry off by default.</summary>
public sealed partial class MetricsTests
{
    private const string Token = "metrics-test-token-5b1d";

    [GeneratedRegex("""^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* \S.*$""")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*",?)*)\})? (?<value>-?[0-9.]+([eE][+-]?[0-9]+)?|NaN|\+Inf|-Inf)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex Label();

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Every line a valid exposition line (else the test fails naming it), as samples.</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line == "# EOF" || CommentLine().IsMatch(line))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"'{line}' should be a Prometheus exposition line");
            samples.Add(new Sample(match.Groups["name"].Value,
                Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value),
                double.Parse(match.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    [Fact]
    public async Task Metrics_ServesPrometheusText_BehindTheApiToken_CountingCallsByToolAndOutcome()
    {
        await using var server = await ServerProcess.StartHttpAsync(["--sandbox", "--metrics", "--api-token", Token, "--allowed-host", "mct.example"], null, Token);
        using (var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        {
            (await anonymous.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            using var wrongHost = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            wrongHost.Headers.Host = "evil.example";
            wrongHost.Headers.Authorization = new("Bearer", Token);
            (await anonymous.SendAsync(wrongHost)).StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
        }

        for (var i = 0; i < 3; i++)
        {
            (await server.CallAsync("lambda_function_list")).IsError.Should().NotBe(true);
        }

        (await server.CallAsync("lambda_function_get", new { function = "no-such-function" })).IsError.Should().BeTrue();

        var samples = Parse(await server.Http.GetStringAsync("/metrics"));
        double Count(string tool, bool error) => samples.Where(s => s.Name == "mcp_server_operation_duration_seconds_count"
                && s.Labels.GetValueOrDefault("mcp_method_name") == "tools/call" && s.Labels.GetValueOrDefault("gen_ai_tool_name") == tool
                && s.Labels.ContainsKey("error_type") == error)
            .Sum(s => s.Value);
        Count("lambda_function_list", error: false).Should().Be(3);
        Count("lambda_function_get", error: true).Should().Be(1);
        samples.Should().Contain(s => s.Name == "mcp_server_operation_duration_seconds_count" && s.Labels.GetValueOrDefault("error_type") == "tool_error");
        samples.Should().Contain(s => s.Name == "mcpcloudtools_aws_call_duration_seconds_count" && s.Labels.GetValueOrDefault("rpc_service") == "Lambda"
                                      && s.Labels.GetValueOrDefault("rpc_method") == "ListFunctions" && s.Value >= 3);
        samples.Should().Contain(s => s.Name == "mcpcloudtools_aws_call_duration_seconds_count" && s.Labels.GetValueOrDefault("error_type") == "ResourceNotFoundException");
        samples.Single(s => s.Name.StartsWith("mcpcloudtools_registry_instances", StringComparison.Ordinal) && !s.Name.Contains("enabled", StringComparison.Ordinal))
            .Value.Should().Be(5, "ec2, eks, lambda, batch and slurm");
        samples.Single(s => s.Name.StartsWith("mcpcloudtools_sessions", StringComparison.Ordinal)).Value.Should().BeGreaterThanOrEqualTo(1);

        // Disabling an instance shows in the gauge.
        (await server.Http.PostAsync("/api/plugins/slurm/disable", null)).EnsureSuccessStatusCode();
        // (A scrape's answer may be cached briefly by the exporter.)
        var deadline = DateTime.UtcNow + ServerProcess.Patience;
        while (Parse(await server.Http.GetStringAsync("/metrics"))
                   .Single(s => s.Name.StartsWith("mcpcloudtools_registry_instances_enabled", StringComparison.Ordinal)).Value != 4)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the enabled-instances gauge should drop to 4");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task TelemetryOff_BuildsNoProviderAndServesNoMetrics()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.GetService(typeof(TracerProvider)).Should().BeNull("no OpenTelemetry provider is built unless configured");
        server.Services.GetService(typeof(MeterProvider)).Should().BeNull();
        (await server.Http.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MetricsWithoutAnHttpListener_IsRefusedWithWhatToAdd()
    {
        var home = Directory.CreateTempSubdirectory("mct-metrics-").FullName;
        try
        {
            var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(home, false, "--metrics", "--state", "none");
            code.Should().Be(2);
            stdout.Should().BeEmpty();
            stderr.Should().Contain("--metrics serves /metrics on the HTTP listener").And.Contain("--urls");
            (code, _, stderr) = await ServerProcess.RunToExitAsync(home, false, "--otlp-endpoint", "localhost:4317", "--state", "none");
            code.Should().Be(2);
            stderr.Should().Contain("is not an http(s) URL");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
