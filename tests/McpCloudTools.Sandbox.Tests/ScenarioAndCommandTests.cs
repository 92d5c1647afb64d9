using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>Command-line options, scenario sizes, the clock, the REST router.</summary>
public sealed class ScenarioAndCommandTests
{
    [Fact]
    public void Arguments_SetPortScenarioSizesAndSeed()
    {
        var options = SandboxCommand.ParseArguments(["--port", "0", "--scenario", "default", "--size", "ec2.instances=10000",
            "--size", "logs.extra_groups=3", "--seed", "7", "--region", "eu-west-1"]);

        options.Port.Should().Be(0);
        options.Region.Should().Be("eu-west-1");
        options.Scenario.Seed.Should().Be(7);
        options.Scenario.Size("ec2.instances", 25).Should().Be(10000);
        options.Scenario.Size("eks.clusters", 2).Should().Be(2);
    }

    [Theory]
    [InlineData("--size", "ec2.instances")]
    [InlineData("--port", "abc")]
    [InlineData("--scenario", "huge")]
    [InlineData("--bogus", "1")]
    public void BadArguments_AreRefusedWithAReason(string name, string value)
    {
        var act = () => SandboxCommand.ParseArguments([name, value]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Run_PrintsEndpointAndCredentialsThenStopsOnCancellation()
    {
        using var stderr = new StringWriter();
        using var cancellation = new CancellationTokenSource();
        var run = SandboxCommand.RunAsync(["--port", "0"], Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, stderr, cancellation.Token);
        while (!stderr.ToString().Contains("Ctrl+C", StringComparison.Ordinal) && !run.IsCompleted) await Task.Delay(10);

        await cancellation.CancelAsync();

        (await run).Should().Be(0);
        stderr.ToString().Should().MatchRegex(@"AWS sandbox listening on http://127\.0\.0\.1:\d+ ")
            .And.Contain("AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1");
    }

    [Fact]
    public async Task SizedScenario_SeedsTheRequestedExtraGroups()
    {
        var options = new SandboxOptions { Scenario = SandboxScenario.Default.WithSize("logs.extra_groups", 30) };
        await using var host = await SandboxHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None);

        host.State().Services["logs"]["groups"].Should().Be(34);
    }

    [Fact]
    public void Clock_RunsAtItsSpeedAndAdvancesOnDemand()
    {
        var real = new ManualTime();
        var clock = new SandboxClock(speed: 60, real);
        var start = clock.UtcNow;

        real.Elapse(TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromMinutes(5));

        clock.UtcNow.Should().Be(start + TimeSpan.FromMinutes(7));
    }

    [Fact]
    public void Router_MatchesTemplatesWithOptionalTrailingSlashAndEscapedLabels()
    {
        var router = new RestJsonRouter<string>()
            .Map("GET", "/2015-03-31/functions", "list")
            .Map("GET", "/2015-03-31/functions/{FunctionName}", "get")
            .Map("GET", "/2015-03-31/functions/{FunctionName}/configuration", "config");

        router.Match("GET", "/2015-03-31/functions/")!.Value.Handler.Should().Be("list");
        router.Match("GET", "/2015-03-31/functions?Marker=x")!.Value.Handler.Should().Be("list");
        var match = router.Match("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Aa%2Fb/configuration")!.Value;
        match.Handler.Should().Be("config");
        match.Values["FunctionName"].Should().Be("arn:aws:lambda:us-east-1:1:function:a/b");
        router.Match("POST", "/2015-03-31/functions").Should().BeNull();
    }

    [Fact]
    public void QueryParameters_ReadListsAndFilters()
    {
        var query = QueryRequest.Parse("/", "Action=DescribeInstances&InstanceId.2=i-2&InstanceId.1=i-1&Filter.1.Name=tag%3AName&Filter.1.Value.1=web&Filter.1.Value.2=api"u8);

        query.Action.Should().Be("DescribeInstances");
        query.GetList("InstanceId").Should().Equal("i-1", "i-2");
        var filter = query.GetFilters().Should().ContainSingle().Which;
        filter.Name.Should().Be("tag:Name");
        filter.Values.Should().Equal("web", "api");
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public void Elapse(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
