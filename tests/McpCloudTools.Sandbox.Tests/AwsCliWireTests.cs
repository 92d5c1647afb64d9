using FluentAssertions;
using McpCloudTools.Testing;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>The real AWS CLI (botocore) cannot tell the sandbox from AWS for STS and CloudWatch Logs.</summary>
public sealed class AwsCliWireTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private Uri Endpoint => fixture.Host.Endpoint;

    [Fact]
    public async Task GetCallerIdentity_ReturnsTheSandboxUser()
    {
        var result = await AwsCli.RunWithSecretAsync(Endpoint, "test", "sts", "get-caller-identity");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Json.GetProperty("Arn").GetString().Should().Be("arn:aws:iam::123456789012:user/sandbox");
        result.Json.GetProperty("Account").GetString().Should().Be("123456789012");
    }

    [Fact]
    public async Task WrongSecret_IsRejectedWithSignatureDoesNotMatchForQueryAndInvalidSignatureForJson()
    {
        var sts = await AwsCli.RunWithSecretAsync(Endpoint, "wrong", "sts", "get-caller-identity");
        var logs = await AwsCli.RunWithSecretAsync(Endpoint, "wrong", "logs", "describe-log-groups");

        sts.ExitCode.Should().NotBe(0);
        sts.Stderr.Should().Contain("(SignatureDoesNotMatch)");
        logs.ExitCode.Should().NotBe(0);
        logs.Stderr.Should().Contain("(InvalidSignatureException)");
    }

    [Fact]
    public async Task DescribeLogGroups_PagesThroughEveryGroupWithTheCliPaginator()
    {
        var result = await AwsCli.RunWithSecretAsync(Endpoint, "test", "logs", "describe-log-groups", "--page-size", "2");

        result.ExitCode.Should().Be(0, result.Stderr);
        var names = result.Json.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString());
        names.Should().Equal("/aws/batch/job", "/aws/eks/prod/cluster", "/aws/lambda/orders-api", "/aws/lambda/thumbnail-worker");
    }

    [Fact]
    public async Task StreamsAndEvents_ReadBackThroughDescribeLogStreamsAndGetLogEvents()
    {
        var streams = await AwsCli.RunWithSecretAsync(Endpoint, "test", "logs", "describe-log-streams",
            "--log-group-name", "/aws/batch/job", "--order-by", "LastEventTime", "--descending");
        streams.ExitCode.Should().Be(0, streams.Stderr);
        var newest = streams.Json.GetProperty("logStreams")[0].GetProperty("logStreamName").GetString()!;
        newest.Should().StartWith("train-model/default/");

        var events = await AwsCli.RunWithSecretAsync(Endpoint, "test", "logs", "get-log-events", "--log-group-name",
            "/aws/batch/job", "--log-stream-name", newest, "--start-from-head", "--limit", "5");

        events.ExitCode.Should().Be(0, events.Stderr);
        events.Json.GetProperty("events").GetArrayLength().Should().Be(5);
        events.Json.GetProperty("nextForwardToken").GetString().Should().StartWith("f/");
        events.Json.GetProperty("nextBackwardToken").GetString().Should().StartWith("b/");
    }

    [Fact]
    public async Task FilterLogEvents_FindsTheTimeoutsWithAnAlternativesPattern()
    {
        var result = await AwsCli.RunWithSecretAsync(Endpoint, "test", "logs", "filter-log-events", "--log-group-name",
            "/aws/lambda/thumbnail-worker", "--filter-pattern", "?\"Task timed out\" ?OutOfMemory");

        result.ExitCode.Should().Be(0, result.Stderr);
        var messages = result.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        messages.Should().NotBeEmpty().And.OnlyContain(m => m.Contains("Task timed out after 3.00 seconds"));
    }

    [Fact]
    public async Task UnknownLogGroup_IsAResourceNotFoundException()
    {
        var result = await AwsCli.RunWithSecretAsync(Endpoint, "test", "logs", "describe-log-streams", "--log-group-name", "/nope");

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("(ResourceNotFoundException)").And.Contain("The specified log group does not exist.");
    }
}
