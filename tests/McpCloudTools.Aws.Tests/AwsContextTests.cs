using Amazon.Runtime;
using FluentAssertions;

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
    public void Provider_ReusesTheContextUntilTheSettingsChange()
    {
        var provider = new AwsContextProvider(new AwsEnvironment(TestEnvironment.Variables()), _runtime);
        var first = provider.Get("eks-prod", new Dictionary<string, string> { ["region"] = "us-east-1" });

        provider.Get("eks-prod", new Dictionary<string, string> { ["region"] = "us-east-1" }).Should().BeSameAs(first);
        provider.Get("eks-prod", new Dictionary<string, string> { ["region"] = "eu-west-1" }).Should().NotBeSameAs(first);
    }

    [Fact]
    public void Settings_ReadTheInstanceConfigKeys()
    {
        var settings = AwsSettings.FromConfig(new Dictionary<string, string>
        {
            ["profile"] = "dev", ["region"] = " eu-west-1 ", ["role_arn"] = "arn:aws:iam::1:role/r", ["external_id"] = "x",
            ["endpoint_url"] = "http://localhost:4566", ["cluster"] = "ignored", ["external_id_unused"] = "",
        });

        settings.Should().Be(new AwsSettings("dev", "eu-west-1", "arn:aws:iam::1:role/r", "x", "http://localhost:4566"));
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
