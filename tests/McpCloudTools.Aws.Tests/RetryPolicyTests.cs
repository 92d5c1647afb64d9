using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Sandbox;

namespace McpCloudTools.Aws.Tests;

/// <summary>The retry policy against the sandbox's fault injection (each test uses its own sandbox: faults are per host).</summary>
public sealed class RetryPolicyTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();

    public Task InitializeAsync() => _sandbox.InitializeAsync();

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    /// <summary>Calls CloudWatch Logs with an operation we can declare non-idempotent.</summary>
    private sealed class ProbeClient(AwsContext context) : AwsJsonClientBase(context, AwsService.Logs, "Logs_20140328")
    {
        public Task<DescribeLogGroupsResponse> CallAsync(bool idempotent, CancellationToken cancellationToken) =>
            InvokeAsync(new AwsOperation("DescribeLogGroups", idempotent), new DescribeLogGroupsRequest(),
                ProbeJsonContext.Default.DescribeLogGroupsRequest, ProbeJsonContext.Default.DescribeLogGroupsResponse,
                null, null, cancellationToken);
    }

    [Fact]
    public async Task ThrottledCalls_SucceedWithinTheRetryBudget()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleNext = 3 });
        var time = new RecordingTimeProvider();

        var response = await new CloudWatchLogsClient(_sandbox.Context(time: time))
            .DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), CancellationToken.None);

        response.LogGroups.Should().NotBeEmpty();
        time.Delays.Should().HaveCount(3).And.OnlyContain(d => d <= SandboxFixture.FastRetries.MaxDelay);
    }

    [Fact]
    public async Task ExhaustedBudget_GivesAClearThrottlingErrorQuickly()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleRate = 1 });
        var watch = Stopwatch.StartNew();

        var act = () => new CloudWatchLogsClient(_sandbox.Context())
            .DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Throttled);
        error.ErrorCode.Should().Be("ThrottlingException");
        error.Message.Should().MatchRegex(@"^Throttled by logs DescribeLogGroups 4 times over \d+\.\d s .*retry later or lower the request rate\.$");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "an exhausted budget must never hang");
    }

    [Fact]
    public async Task RetryAfter_IsHonouredAsTheDelay()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleNext = 1, RetryAfterSeconds = 2 });
        var time = new RecordingTimeProvider();
        var options = SandboxFixture.FastRetries with { MaxDelay = TimeSpan.FromSeconds(5) };

        await new CloudWatchLogsClient(_sandbox.Context(options: options, time: time))
            .DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), CancellationToken.None);

        time.Delays.Should().Equal(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task RetryAfterBeyondTheMaximumDelay_EndsRetriesAndSaysWhy()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleNext = 1, RetryAfterSeconds = 60 });

        var act = () => new CloudWatchLogsClient(_sandbox.Context())
            .DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), CancellationToken.None);

        (await act.Should().ThrowAsync<AwsServiceException>()).Which.Message
            .Should().Contain("1 times over").And.Contain("the service asked to wait 60 s");
    }

    [Fact]
    public async Task NonIdempotentCall_IsNotRetriedAfterAServerError()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ErrorNext = 1 });

        var act = () => new ProbeClient(_sandbox.Context()).CallAsync(idempotent: false, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Unavailable);
        error.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task IdempotentCall_IsRetriedAfterAServerError()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ErrorNext = 2 });

        var response = await new ProbeClient(_sandbox.Context()).CallAsync(idempotent: true, CancellationToken.None);

        response.LogGroups.Should().NotBeEmpty();
    }

    [Fact]
    public async Task NonIdempotentCall_IsRetriedWhenThrottled()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleNext = 2 });

        var response = await new ProbeClient(_sandbox.Context()).CallAsync(idempotent: false, CancellationToken.None);

        response.LogGroups.Should().NotBeEmpty();
    }

    [Fact]
    public async Task NonIdempotentCall_IsNotRetriedAfterATimeout()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { Latency = TimeSpan.FromSeconds(2) });
        var options = SandboxFixture.FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(200) };
        var watch = Stopwatch.StartNew();

        var act = () => new ProbeClient(_sandbox.Context(options: options)).CallAsync(idempotent: false, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.ErrorCode.Should().Be("Timeout");
        error.Message.Should().Contain("timed out").And.NotContain("attempts");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "one attempt of 200 ms, no retry");
    }

    [Fact]
    public async Task ConnectionRefused_IsRetriedEvenForNonIdempotentCallsAndThenReported()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var time = new RecordingTimeProvider();
        var context = new AwsContext(AwsSettings.Default,
            AwsEnvironment.ForSandbox(new Uri($"http://127.0.0.1:{closedPort}"), "test", "test", "us-east-1", TestEnvironment.Variables()),
            new AwsRuntime(SandboxFixture.FastRetries, timeProvider: time));

        var act = () => new ProbeClient(context).CallAsync(idempotent: false, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Unavailable);
        error.ErrorCode.Should().Be("NetworkError");
        error.Message.Should().Contain($"127.0.0.1:{closedPort}").And.Contain("after 4 attempts");
        time.Delays.Should().HaveCount(3);
    }

    [Fact]
    public async Task Cancellation_StopsRetriesAtOnce()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleRate = 1 });
        var options = SandboxFixture.FastRetries with
        {
            MaxAttempts = 50, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), JitterSeed = null,
        };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var act = () => new CloudWatchLogsClient(_sandbox.Context(options: options))
            .DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }
}
