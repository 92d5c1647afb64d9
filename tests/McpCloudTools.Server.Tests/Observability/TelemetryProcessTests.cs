using System.Text;
using System.Text.Json.Nodes;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary>
/// The spawned server exporting OTLP/HTTP to a collector hosted by the test: spans by the MCP semantic conventions,
/// a client's <c>params._meta.traceparent</c> as their parent, AWS and Kubernetes call spans under them, and nothing of
/// a call's arguments or results in anything exported.
/// </summary>
public sealed class TelemetryProcessTests
{
    private const string Marker = "hostile7c1e";

    private static Dictionary<string, string?> Telemetry(OtlpReceiver collector, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        };
        foreach (var (key, value) in more)
        {
            env[key] = value;
        }

        return env;
    }

    [Fact]
    public async Task ToolCallSpan_FollowsTheMcpConventions_UnderTheClientsTraceparent_WithTheAwsCallBelowIt()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        var env = Telemetry(collector, ("AWS_ENDPOINT_URL", sandbox.Endpoint.ToString()), ("OTEL_SERVICE_NAME", "mct-under-test"),
            ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=telemetry-test"));
        await using var server = await ServerProcess.StartHttpAsync([], env, null);

        // Two throttled answers before the real one: the call's span says so.
        sandbox.Faults.Set("lambda", new FaultSettings { ThrottleNext = 2 });
        var before = sandbox.Requests.Last;
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string parentId = "00f067aa0ba902b7";
        using var timeout = new CancellationTokenSource(ServerProcess.Patience);
        var result = await server.Client.CallToolAsync("lambda_function_list", new Dictionary<string, object?>(),
            options: new RequestOptions { Meta = new JsonObject { ["traceparent"] = $"00-{traceId}-{parentId}-01" } }, cancellationToken: timeout.Token);
        result.IsError.Should().NotBe(true, result.Text());

        var call = await collector.WaitForSpanAsync(s => s.Name == "tools/call lambda_function_list", "the tools/call span");
        call.Scope.Should().Be("Experimental.ModelContextProtocol");
        call.Kind.Should().Be(2, "a server span");
        call.TraceId.Should().Be(traceId);
        call.ParentSpanId.Should().Be(parentId, "the client's traceparent in params._meta is the parent");
        call["mcp.method.name"].Should().Be("tools/call");
        call["gen_ai.tool.name"].Should().Be("lambda_function_list");
        call["gen_ai.operation.name"].Should().Be("execute_tool");
        call["mcp.protocol.version"].Should().Be("2025-11-25");
        call["mcp.session.id"].Should().Be(server.Client.SessionId, "the transport's session, as the conventions mean it");
        call["network.transport"].Should().Be("tcp");
        call["jsonrpc.request.id"].Should().NotBeNull();
        call.Attributes.Should().NotContainKey("error.type");
        call.Resource["service.name"].Should().Be("mct-under-test");
        call.Resource["deployment.environment.name"].Should().Be("telemetry-test");

        var aws = await collector.WaitForSpanAsync(s => s.Name == "Lambda.ListFunctions" && s.TraceId == traceId, "the Lambda call's span");
        aws.ParentSpanId.Should().Be(call.SpanId);
        aws.Kind.Should().Be(3, "a client span");
        aws["rpc.system"].Should().Be("aws-api");
        aws["rpc.service"].Should().Be("Lambda");
        aws["rpc.method"].Should().Be("ListFunctions");
        aws["cloud.region"].Should().Be("us-east-1");
        aws["aws.retries"].Should().Be(2L);
        aws["aws.throttled"].Should().Be(true);
        // The sandbox's own record of what it answered (other calls, such as health checks, may interleave).
        var answered = sandbox.Requests.Since(before).Where(r => r.Service == "lambda" && r.RequestId is not null).Select(r => r.RequestId).ToList();
        answered.Should().HaveCountGreaterThanOrEqualTo(3, "two throttled attempts and the one answered");
        answered.Should().Contain((string)aws["aws.request_id"]!, "the span carries the request id the sandbox answered with");

        // The official SDK's pipeline (EC2) carries the same attributes.
        before = sandbox.Requests.Last;
        (await server.CallAsync("ec2_instance_list")).IsError.Should().NotBe(true);
        var ec2 = await collector.WaitForSpanAsync(s => s.Name == "EC2.DescribeInstances", "the EC2 call's span");
        ec2["rpc.service"].Should().Be("EC2");
        ec2["aws.retries"].Should().Be(0L);
        ec2["aws.throttled"].Should().Be(false);
        sandbox.Requests.Since(before).Where(r => r.Service == "ec2").Select(r => r.RequestId).Should().Contain((string)ec2["aws.request_id"]!);
        (await collector.WaitForSpanAsync(s => s.Name == "tools/call ec2_instance_list", "the EC2 tool's span")).SpanId.Should().Be(ec2.ParentSpanId);
    }

    [Fact]
    public async Task ArgumentsAndResults_AppearInNoExportedSpanOrMetric()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var server = await ServerProcess.StartHttpAsync(["--sandbox"], Telemetry(collector), null);

        // Refused by validation (the message quotes a prefix of it), and a valid name that reaches AWS and is not found there.
        var refused = await server.CallAsync("lambda_function_get", new { function = $"<img src=x onerror=alert('{Marker}')>" });
        refused.IsError.Should().BeTrue();
        var missing = await server.CallAsync("lambda_function_get", new { function = $"{Marker}-missing" });
        missing.IsError.Should().BeTrue();
        missing.Text().Should().Contain(Marker, "the result quotes it, so the test below means something");
        (await server.CallAsync("lambda_function_list", new { name_contains = Marker })).IsError.Should().NotBe(true);

        await collector.WaitForSpanAsync(s => s.Name == "tools/call lambda_function_list", "the last call's span");
        var failed = collector.Spans.Where(s => s.Name == "tools/call lambda_function_get").ToList();
        failed.Should().HaveCount(2);
        failed.Should().AllSatisfy(s =>
        {
            s["error.type"].Should().Be("tool_error");
            s.StatusCode.Should().Be(2, "error");
            s.StatusMessage.Should().Be("tool_error", "the result's text is not the status description");
        });
        var notFound = await collector.WaitForSpanAsync(s => s.Name == "Lambda.GetFunction", "the GetFunction call's span");
        notFound["error.type"].Should().Be("ResourceNotFoundException");
        collector.Spans.Should().Contain(s => s.Scope == "System.Net.Http", "HttpClient's spans are exported, their URLs cut to the host");

        // Metrics go out on their interval: wait for one export after the calls.
        var received = collector.Payloads.Count;
        var deadline = DateTime.UtcNow + ServerProcess.Patience;
        while (collector.Payloads.Skip(received).All(p => p.Path != "/v1/metrics"))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "metrics should be exported");
            await Task.Delay(100);
        }

        collector.Payloads.Should().Contain(p => p.Path == "/v1/metrics" && Encoding.UTF8.GetString(p.Body).Contains("mcp.server.operation.duration"));
        foreach (var (path, body) in collector.Payloads)
        {
            Encoding.UTF8.GetString(body).Contains(Marker, StringComparison.OrdinalIgnoreCase).Should().BeFalse($"a payload to {path} holds an argument");
        }
    }

    [Fact]
    public async Task Stdio_ExportsSpansWithPipeTransport_AndKubernetesCallSpans_WhileStdoutCarriesOnlyMcp()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var raw = await RawStdioProcess.StartAsync(["--sandbox"], Telemetry(collector));
        await raw.SendAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"eks_pod_list","arguments":{"cluster_id":"eks:prod"},"_meta":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}}""");
        // Every stdout line is parsed as JSON-RPC: a telemetry line there would fail here.
        var answer = await raw.ReadAsync();
        answer.GetProperty("id").GetInt32().Should().Be(7);
        answer.GetProperty("result").TryGetProperty("isError", out var isError).Should().BeFalse(isError.ToString());
        await raw.PingAsync(8);

        var call = await collector.WaitForSpanAsync(s => s.Name == "tools/call eks_pod_list", "the stdio call's span");
        call["network.transport"].Should().Be("pipe");
        call.TraceId.Should().Be("0af7651916cd43dd8448eb211c80319c");
        call.ParentSpanId.Should().Be("b7ad6b7169203331");
        var pods = await collector.WaitForSpanAsync(s => s.Name == "GET pods" && s.TraceId == call.TraceId, "the Kubernetes call's span");
        pods["kubernetes.resource"].Should().Be("pods");
        pods["http.request.method"].Should().Be("GET");
        pods["http.response.status_code"].Should().Be(200L);
        pods.Attributes.Values.OfType<string>().Should().NotContain(v => v.Contains("prod", StringComparison.Ordinal), "names are arguments");
    }
}
