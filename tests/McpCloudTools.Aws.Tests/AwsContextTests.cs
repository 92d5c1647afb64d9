using Amazon.Runtime;
using FluentAssertions;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Aws.Tests;

/// <summary>Region, endpoint and credential resolution per instance, from an injected environment and temp profiles.</summary>
public sealed class AwsContextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcp-aws-context-").FullName;
    private readonly AwsRuntime _runtime = new();

    public void Dispose()
    {
        _runtime.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private AwsContext Context(AwsSettings settings, params (string, string)[] variables) =>
        new(settings, new AwsEnvironment(TestEnvironment.Variables(
            [("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_directory, "credentials")), ("HOME", _directory), .. variables])), _runtime);

    private void WriteProfiles(string credentials, string config)
    {
        File.WriteAllText(Path.Combine(_directory, "credentials"), credentials);
        File.WriteAllText(Path.Combine(_directory, "config"), config);
    }

    [Fact]
    public void Endpoint_InstanceSettingBeatsServiceVariableBeatsGlobalVariable()
    {
        (string, string)[] variables = [("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://service:1"), ("AWS_ENDPOINT_URL", "http://global:2"), ("AWS_REGION", "eu-west-1")];

        Context(new AwsSettings(EndpointUrl: "http://instance:3"), variables).ResolveEndpointWithSource(AwsService.Logs)
            .Should().Be(new AwsEndpoint(new Uri("http://instance:3"), AwsEndpointSource.Instance));
        Context(AwsSettings.Default, variables).ResolveEndpointWithSource(AwsService.Logs)
            .Should().Be(new AwsEndpoint(new Uri("http://service:1"), AwsEndpointSource.ServiceEnvironment));
        Context(AwsSettings.Default, variables).ResolveEndpointWithSource(AwsService.Eks)
            .Should().Be(new AwsEndpoint(new Uri("http://global:2"), AwsEndpointSource.GlobalEnvironment));
        Context(AwsSettings.Default, ("AWS_REGION", "eu-west-1")).ResolveEndpointWithSource(AwsService.Eks)
            .Should().Be(new AwsEndpoint(new Uri("https://eks.eu-west-1.amazonaws.com/"), AwsEndpointSource.Default));
    }

    [Fact]
    public void Endpoint_SandboxModeOverridesEverySetting()
    {
        var context = new AwsContext(new AwsSettings(EndpointUrl: "http://instance:3"),
            AwsEnvironment.ForSandbox(new Uri("http://127.0.0.1:9"), "test", "test", "us-east-1",
                TestEnvironment.Variables(("AWS_ENDPOINT_URL", "http://global:2"))), _runtime);

        context.ResolveEndpointWithSource(AwsService.Lambda).Should().Be(new AwsEndpoint(new Uri("http://127.0.0.1:9"), AwsEndpointSource.Sandbox));
    }

    [Fact]
    public void Endpoint_IgnoreConfiguredEndpointUrlsSkipsTheEnvironment()
    {
        var context = Context(AwsSettings.Default, ("AWS_ENDPOINT_URL", "http://global:2"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_REGION", "cn-north-1"));

        context.ResolveEndpoint(AwsService.Batch).Should().Be(new Uri("https://batch.cn-north-1.amazonaws.com.cn/"));
    }

    [Fact]
    public void Endpoint_ProfileEndpointUrlAppliesAfterTheEnvironment()
    {
        WriteProfiles("[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n",
            "[profile dev]\nregion = eu-central-1\nendpoint_url = http://profile:5\n");

        Context(new AwsSettings(Profile: "dev")).ResolveEndpointWithSource(AwsService.Eks)
            .Should().Be(new AwsEndpoint(new Uri("http://profile:5"), AwsEndpointSource.Profile));
    }

    [Theory]
    [InlineData("ap-south-1", null, null, "ap-south-1")]
    [InlineData(null, "us-west-2", "eu-north-1", "us-west-2")]
    [InlineData(null, null, "eu-north-1", "eu-central-1")]
    public void Region_FollowsSettingThenAwsRegionThenProfileThenAwsDefaultRegion(string? setting, string? awsRegion,
        string? awsDefaultRegion, string expected)
    {
        WriteProfiles("", "[default]\nregion = eu-central-1\n");
        var variables = new List<(string, string)>();
        if (awsRegion is not null) variables.Add(("AWS_REGION", awsRegion));
        if (awsDefaultRegion is not null) variables.Add(("AWS_DEFAULT_REGION", awsDefaultRegion));

        Context(new AwsSettings(Region: setting), [.. variables]).Region.SystemName.Should().Be(expected);
    }

    [Fact]
    public void Region_AwsDefaultRegionIsTheLastFallback()
    {
        Context(AwsSettings.Default, ("AWS_DEFAULT_REGION", "sa-east-1")).Region.SystemName.Should().Be("sa-east-1");
    }

    [Fact]
    public void Region_MissingEverywhere_SaysWhatToSet()
    {
        var act = () => Context(AwsSettings.Default).Region;

        act.Should().Throw<AwsConfigurationException>().WithMessage("No AWS region is configured*AWS_REGION*AWS_DEFAULT_REGION*");
    }

    [Fact]
    public async Task Credentials_ComeFromTheInstanceProfileInTheConfiguredFiles()
    {
        WriteProfiles("[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = secret-dev\n", "[profile other]\nregion = us-east-2\n");

        var keys = await Context(new AwsSettings(Profile: "dev", Region: "us-east-1")).Credentials.GetCredentialsAsync();

        keys.AccessKey.Should().Be("AKIADEV");
        keys.SecretKey.Should().Be("secret-dev");
    }

    [Fact]
    public async Task Credentials_UnknownProfile_FailOnFirstUseAndListTheKnownOnes()
    {
        WriteProfiles("[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n", "");
        var context = Context(new AwsSettings(Profile: "prod", Region: "us-east-1"));

        var act = () => context.Credentials.GetCredentialsAsync();

        (await act.Should().ThrowAsync<AwsConfigurationException>()).Which.Message
            .Should().Contain("profile 'prod' was not found").And.Contain("known profiles: dev").And.Contain("aws configure --profile prod");
    }

    [Fact]
    public void Credentials_AreNotResolvedWhenTheContextIsBuilt()
    {
        var act = () => Context(new AwsSettings(Profile: "does-not-exist", RoleArn: "arn:aws:iam::123456789012:role/x"));

        act.Should().NotThrow();
    }

    [Fact]
    public async Task Provider_KeepsOneContextPerInstanceAndConfigVersion_ANewConfigGetsAFreshOne()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_runtime);
        services.AddSingleton(new AwsContextProvider(new AwsEnvironment(TestEnvironment.Variables()), _runtime));
        services.AddPlugin<ProbePlugin>();
        services.AddCloudToolsCore(new SafetyOptions(), _ => new InMemoryStateStore());
        await using var provider = services.BuildServiceProvider();
        await provider.LoadRegistryAsync();
        var instances = provider.GetRequiredService<InstanceRegistry>();
        var router = provider.GetRequiredService<PluginRouter>();
        var aws = provider.GetRequiredService<AwsContextProvider>();
        await instances.UpdateAsync("probe", null, new Dictionary<string, string> { ["region"] = "us-east-1" });

        var first = aws.For(router.Context(instances.Get("probe")));
        aws.For(router.Context(instances.Get("probe"))).Should().BeSameAs(first);
        first.Region.SystemName.Should().Be("us-east-1");

        await instances.UpdateAsync("probe", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });
        var second = aws.For(router.Context(instances.Get("probe")));
        second.Should().NotBeSameAs(first);
        second.Region.SystemName.Should().Be("eu-west-1", "the new config is what calls use at once");
    }

    [Fact]
    public void Settings_AreParsedFromTheInstanceConfigKeys()
    {
        var settings = AwsSettings.ParseValid(new ConfigReader(new Dictionary<string, string>
        {
            ["profile"] = "dev", ["region"] = " eu-west-1 ", ["role_arn"] = "arn:aws:iam::123456789012:role/ops/deployer", ["external_id"] = "ext-42",
            ["endpoint_url"] = "http://localhost:4566", ["cluster"] = "ignored", ["external_id_unused"] = "",
        }));

        settings.Should().Be(new AwsSettings("dev", "eu-west-1", "arn:aws:iam::123456789012:role/ops/deployer", "ext-42", "http://localhost:4566"));
    }

    [Theory]
    [InlineData("region", "us-east-9x", "region 'us-east-9x' is not an AWS region name: use one such as us-east-1")]
    [InlineData("region", "US-EAST-1", "region 'US-EAST-1' is not an AWS region name")]
    [InlineData("role_arn", "arn:aws:iam::1:role/r", "role_arn 'arn:aws:iam::1:role/r' is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name>")]
    [InlineData("role_arn", "ops-role", "role_arn 'ops-role' is not an IAM role ARN")]
    [InlineData("endpoint_url", "localhost:4566", "endpoint_url 'localhost:4566' is not an http(s) URL without credentials or query: use a form like https://localhost:4566")]
    [InlineData("endpoint_url", "https://user:pw@vpce.example", "endpoint_url 'https://user:pw@vpce.example' is not an http(s) URL")]
    [InlineData("profile", "[prod]", "profile '[prod]' is not a profile name")]
    public void Settings_RefuseABadValue_SayingWhatIsValid(string key, string value, string message)
    {
        var config = new Dictionary<string, string> { [key] = value };
        if (key == "role_arn")
        {
            config["external_id"] = "ext-42";
        }

        var parse = () => AwsSettings.ParseValid(new ConfigReader(config));

        parse.Should().Throw<InvalidConfigException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Settings_ListEveryProblemAtOnce_AndAnExternalIdNeedsARole()
    {
        var parse = () => AwsSettings.ParseValid(new ConfigReader(new Dictionary<string, string>
        {
            ["region"] = "mars-1", ["external_id"] = "has space",
        }));

        parse.Should().Throw<InvalidConfigException>().Which.Problems.Should().HaveCount(3)
            .And.Contain(p => p.StartsWith("region 'mars-1'", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("external_id 'has space' is not a valid external id", StringComparison.Ordinal))
            .And.Contain("external_id is sent only when assuming role_arn: set role_arn too, or remove external_id.");
    }

    /// <summary>The smallest AWS plugin: the shared AWS config and nothing else.</summary>
    private sealed class ProbePlugin : PluginBase
    {
        public override PluginInfo Info { get; } = new("probe", "Probe", "Reads AWS settings.", "?", "0.0.1");

        public override IReadOnlyList<PluginConfigKey> ConfigKeys => AwsSettings.ConfigKeys;

        public override object ParseSettings(ConfigReader config) => AwsSettings.ParseValid(config);

        public override IEnumerable<ModelContextProtocol.Server.McpServerTool> GetTools(PluginToolFactory tools) => [];

        public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
            Task.FromResult(HealthReport.Healthy("ok"));

        public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new StatusSummary("ok"));
    }

    [Fact]
    public void SdkClientConfig_GetsTheOverrideRegionAndRetryPolicy()
    {
        var context = Context(new AwsSettings(Region: "eu-west-1", EndpointUrl: "http://127.0.0.1:4566"));

        var config = AwsSdkClientConfig.Configure(new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig(), context, AwsService.Sts);

        config.ServiceURL.Should().Be("http://127.0.0.1:4566/");
        config.AuthenticationRegion.Should().Be("eu-west-1");
        config.MaxErrorRetry.Should().Be(AwsClientOptions.Default.MaxAttempts - 1);
        config.RetryMode.Should().Be(RequestRetryMode.Standard);
        config.Timeout.Should().Be(AwsClientOptions.Default.AttemptTimeout);
    }
}
