using System.Text;
using System.Text.Json;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>A sandbox alone (no MCP server), for the real AWS CLI.</summary>
public sealed class CliSandboxFixture : IAsyncLifetime
{
    /// <summary>The sandbox, clock 30× so timeouts pass quickly.</summary>
    public SandboxHost Host { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Host = await SandboxHost.StartAsync(new SandboxOptions { ClockSpeed = 30 }, NullLoggerFactory.Instance, CancellationToken.None);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The real AWS CLI (botocore) reads the sandbox's Lambda as AWS's: paging, ARNs, timestamps, errors.</summary>
public sealed class AwsCliTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    [Fact]
    public async Task ListFunctions_PagesThroughEveryFunctionWithTheCliPaginator()
    {
        var result = await RunAsync("lambda", "list-functions", "--page-size", "2");

        result.ExitCode.Should().Be(0, result.Stderr);
        var functions = result.Json.GetProperty("Functions").EnumerateArray().ToList();
        functions.Select(f => f.GetProperty("FunctionName").GetString()).Should().HaveCount(7).And.OnlyHaveUniqueItems();
        var orders = functions.Single(f => f.GetProperty("FunctionName").GetString() == "orders-api");
        orders.GetProperty("LastModified").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$");
        orders.TryGetProperty("State", out _).Should().BeFalse("ListFunctions leaves state out, as AWS does");
    }

    [Fact]
    public async Task GetFunctionConfiguration_ByArnAndQualifier()
    {
        var result = await RunAsync("lambda", "get-function-configuration", "--function-name",
            "arn:aws:lambda:us-east-1:123456789012:function:orders-api", "--qualifier", "live");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Json.GetProperty("Version").GetString().Should().Be("2");
        result.Json.GetProperty("State").GetString().Should().Be("Active");
        result.Json.GetProperty("FunctionArn").GetString().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:orders-api:live");
    }

    [Fact]
    public async Task ListEventSourceMappingsAliasesAndAccountSettings_ReadBack()
    {
        var mappings = await RunAsync("lambda", "list-event-source-mappings", "--function-name", "payments-webhook");
        var aliases = await RunAsync("lambda", "list-aliases", "--function-name", "orders-api");
        var settings = await RunAsync("lambda", "get-account-settings");

        mappings.ExitCode.Should().Be(0, mappings.Stderr);
        var mapping = mappings.Json.GetProperty("EventSourceMappings")[0];
        mapping.GetProperty("LastProcessingResult").GetString().Should().Be("PROBLEM: Function call failed");
        // CLI v1 prints timestamps as they came (cli_timestamp_format=none): Lambda sends epoch seconds here.
        DateTimeOffset.FromUnixTimeMilliseconds((long)(mapping.GetProperty("LastModified").GetDouble() * 1000))
            .Should().BeBefore(fixture.Host.Clock.UtcNow).And.BeAfter(fixture.Host.Clock.UtcNow.AddDays(-2));
        aliases.Json.GetProperty("Aliases").EnumerateArray().Single(a => a.GetProperty("Name").GetString() == "live")
            .GetProperty("RoutingConfig").GetProperty("AdditionalVersionWeights").GetProperty("3").GetDouble().Should().Be(0.1);
        settings.Json.GetProperty("AccountLimit").GetProperty("UnreservedConcurrentExecutions").GetInt32().Should().Be(995);
    }

    [Fact]
    public async Task UnknownFunction_IsResourceNotFoundWithTheArn()
    {
        var result = await RunAsync("lambda", "get-function", "--function-name", "nope");

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("(ResourceNotFoundException)").And.Contain("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
    }

    private Task<AwsCli.Result> RunAsync(params string[] args) => AwsCli.RunAsync(fixture.Host.Endpoint, args);


}

/// <summary>The real AWS CLI invokes and updates the sandbox's functions as AWS's: Invoke headers, payloads, revisions.</summary>
public sealed class AwsCliInvokeTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    [Fact]
    public async Task Invoke_EchoesThePayloadAndReturnsTheLogTail()
    {
        var outFile = Path.GetTempFileName();
        try
        {
            var result = await RunAsync("lambda", "invoke", "--function-name", "orders-api", "--payload", """{"hello":"cli"}""",
                "--log-type", "Tail", outFile);

            result.ExitCode.Should().Be(0, result.Stderr);
            result.Json.GetProperty("StatusCode").GetInt32().Should().Be(200);
            result.Json.GetProperty("ExecutedVersion").GetString().Should().Be("$LATEST");
            result.Json.TryGetProperty("FunctionError", out _).Should().BeFalse();
            var log = Encoding.UTF8.GetString(Convert.FromBase64String(result.Json.GetProperty("LogResult").GetString()!));
            log.Should().StartWith("START RequestId: ").And.Contain("REPORT RequestId: ");
            (await File.ReadAllTextAsync(outFile)).Should().Be("""{"hello":"cli"}""");
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Fact]
    public async Task Invoke_TimingOutFunction_ReportsAFunctionErrorWithTheTimeoutPayload()
    {
        var outFile = Path.GetTempFileName();
        try
        {
            var result = await RunAsync("lambda", "invoke", "--function-name", "thumbnail-worker", outFile);

            result.ExitCode.Should().Be(0, result.Stderr);
            result.Json.GetProperty("FunctionError").GetString().Should().Be("Unhandled");
            var payload = JsonDocument.Parse(await File.ReadAllTextAsync(outFile)).RootElement;
            payload.GetProperty("errorType").GetString().Should().Be("Sandbox.Timedout");
            payload.GetProperty("errorMessage").GetString().Should().EndWith("Task timed out after 3.00 seconds");
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Fact]
    public async Task UpdateFunctionConfiguration_WithAStaleRevision_IsPreconditionFailed()
    {
        var result = await RunAsync("lambda", "update-function-configuration", "--function-name", "audit-logger",
            "--memory-size", "256", "--revision-id", "00000000-0000-0000-0000-000000000000");

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("(PreconditionFailedException)").And.Contain("does not match the latest Revision Id");
    }

    private Task<AwsCli.Result> RunAsync(params string[] args) => AwsCli.RunAsync(fixture.Host.Endpoint, args);
}
