using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using FluentAssertions;
using McpCloudTools.Sandbox;

namespace McpCloudTools.Aws.Tests;

/// <summary>Official SDK clients under the shared retry policy (<see cref="AwsSdkRetry"/>), against the sandbox's faults.</summary>
public sealed class SdkRetryTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();

    public Task InitializeAsync() => _sandbox.InitializeAsync();

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    /// <summary>An STS client wired the way SDK-based plugin clients wire theirs.</summary>
    private sealed class SharedPolicyStsClient(AwsContext context)
        : AmazonSecurityTokenServiceClient(context.Credentials, new SharedConfig(context.Runtime, context.CreateStsConfig()))
    {
        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            var config = (SharedConfig)Config;
            AwsSdkRetry.Apply(pipeline, config, config.Runtime);
        }

        private sealed class SharedConfig : AmazonSecurityTokenServiceConfig
        {
            public SharedConfig(AwsRuntime runtime, AmazonSecurityTokenServiceConfig from)
            {
                Runtime = runtime;
                ServiceURL = from.ServiceURL;
                AuthenticationRegion = from.AuthenticationRegion;
                MaxErrorRetry = from.MaxErrorRetry;
                RetryMode = from.RetryMode;
            }

            public AwsRuntime Runtime { get; }
        }
    }

    [Fact]
    public async Task ThrottledSdkCalls_WaitTheSharedBackoffOnTheRuntimeClock()
    {
        _sandbox.Host.Faults.Set("sts", new FaultSettings { ThrottleNext = 3 });
        var time = new RecordingTimeProvider();
        using var client = new SharedPolicyStsClient(_sandbox.Context(time: time));

        var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        identity.Account.Should().Be("123456789012");
        time.Delays.Should().HaveCount(3).And.OnlyContain(d => d <= SandboxFixture.FastRetries.MaxDelay);
    }

    [Fact]
    public async Task ExhaustedSdkRetries_RecordTheAttemptsOnTheException()
    {
        _sandbox.Host.Faults.Set("sts", new FaultSettings { ThrottleRate = 1 });
        using var client = new SharedPolicyStsClient(_sandbox.Context(time: new RecordingTimeProvider()));

        var act = () => client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        var error = (await act.Should().ThrowAsync<AmazonServiceException>()).Which;
        error.ErrorCode.Should().Be("Throttling");
        AwsSdkRetry.Attempts(error).Should().Be(SandboxFixture.FastRetries.MaxAttempts);
    }
}
