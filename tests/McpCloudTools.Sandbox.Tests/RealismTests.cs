using McpCloudTools.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>Where the sandbox's data reads like AWS's, checked with the AWS CLI: log lines as the services write them.</summary>
public sealed class RealismTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData("/aws/lambda/orders-api", 256)]
    [InlineData("/aws/lambda/thumbnail-worker", 1024)]
    public async Task LambdaReportLines_ShowTheFunctionsOwnMemorySize(string group, int memory)
    {
        var result = await AwsCli.RunAsync(fixture.Host.Endpoint, "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "REPORT");

        var reports = result.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        reports.Should().NotBeEmpty().And.OnlyContain(m => m.Contains($"\tMemory Size: {memory} MB\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BatchJobLog_StartsWithWhatItsCommandPrints()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        var submitted = await AwsCli.RunAsync(host.Endpoint, "batch", "submit-job", "--job-name", "greet", "--job-queue", "default-queue",
            "--job-definition", "hello-world", "--container-overrides",
            """{"command":["sh","-c","echo hi && printf 'job %s of %s\\n' \"$AWS_BATCH_JOB_ID\" \"$AWS_BATCH_JQ_NAME\"; echo '$NOT_EXPANDED'"]}""");
        submitted.ExitCode.Should().Be(0, submitted.Stderr);
        var id = submitted.Json.GetProperty("jobId").GetString()!;
        var direct = (await AwsCli.RunAsync(host.Endpoint, "batch", "submit-job", "--job-name", "plain", "--job-queue", "default-queue",
            "--job-definition", "hello-world", "--container-overrides", """{"command":["echo","hi","$HOME"]}""")).Json.GetProperty("jobId").GetString()!;

        host.Clock.Advance(TimeSpan.FromMinutes(5));

        (await MessagesAsync(host, id)).Should().StartWith(["hi", $"job {id} of default-queue", "$NOT_EXPANDED", "INFO starting greet (attempt 1)"]);
        (await MessagesAsync(host, direct)).Should().StartWith(["hi $HOME", "INFO starting plain (attempt 1)"], "without a shell nothing expands");
    }

    private static async Task<List<string>> MessagesAsync(SandboxHost host, string jobId)
    {
        var job = (await AwsCli.RunAsync(host.Endpoint, "batch", "describe-jobs", "--jobs", jobId)).Json.GetProperty("jobs")[0];
        job.GetProperty("status").GetString().Should().Be("SUCCEEDED");
        var stream = job.GetProperty("container").GetProperty("logStreamName").GetString()!;
        var events = await AwsCli.RunAsync(host.Endpoint, "logs", "get-log-events", "--log-group-name", "/aws/batch/job", "--log-stream-name", stream, "--start-from-head");
        return [.. events.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)];
    }
}
