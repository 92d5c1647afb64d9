using FluentAssertions;
using McpCloudTools.Aws.Logs;

namespace McpCloudTools.Aws.Tests;

/// <summary>STS through AWSSDK.SecurityToken, role_arn and assume-role profiles, all against the sandbox's STS.</summary>
public sealed class StsAndAssumeRoleTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcp-aws-sts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetCallerIdentity_ReturnsAndRemembersTheSandboxUser()
    {
        var context = fixture.Context();

        var identity = await new StsClient(context).GetCallerIdentityAsync(CancellationToken.None);

        identity.Should().Be(new CallerIdentity("123456789012", "arn:aws:iam::123456789012:user/sandbox", "AIDASANDBOXUSER000001"));
        context.KnownIdentity.Should().Be(identity);
        context.IdentityDescription.Should().Be(identity.Arn);
    }

    [Fact]
    public async Task RoleArn_IsAssumedThroughTheContextsStsAndItsKeysAreAccepted()
    {
        var context = fixture.Context(new AwsSettings(RoleArn: "arn:aws:iam::123456789012:role/readonly", ExternalId: "ext-1"));

        var identity = await new StsClient(context).GetCallerIdentityAsync(CancellationToken.None);
        var groups = await new CloudWatchLogsClient(context).DescribeLogGroupsAsync(new DescribeLogGroupsRequest(), CancellationToken.None);

        identity.Arn.Should().StartWith("arn:aws:sts::123456789012:assumed-role/readonly/mcp-cloud-tools-");
        (await context.Credentials.GetCredentialsAsync()).AccessKey.Should().StartWith("ASIA");
        groups.LogGroups.Should().NotBeEmpty();
    }

    [Fact]
    public async Task AssumeRoleProfile_ResolvesAgainstTheEndpointOfTheInstance()
    {
        File.WriteAllText(Path.Combine(_directory, "credentials"), "[base]\naws_access_key_id = test\naws_secret_access_key = test\n");
        File.WriteAllText(Path.Combine(_directory, "config"),
            "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\nrole_session_name = alice\nregion = us-east-1\n");
        var context = new AwsContext(new AwsSettings(Profile: "ops", EndpointUrl: fixture.Host.Endpoint.ToString()),
            new AwsEnvironment(TestEnvironment.Variables(("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_directory, "credentials")))),
            new AwsRuntime(SandboxFixture.FastRetries));

        var identity = await new StsClient(context).GetCallerIdentityAsync(CancellationToken.None);

        identity.Arn.Should().Be("arn:aws:sts::123456789012:assumed-role/ops/alice");
    }

    [Fact]
    public async Task RoleInAnotherAccount_IsAnAccessDeniedThatNamesTheRole()
    {
        var context = fixture.Context(new AwsSettings(RoleArn: "arn:aws:iam::999999999999:role/admin"));

        var act = () => new StsClient(context).GetCallerIdentityAsync(CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.AccessDenied);
        error.Message.Should().Contain("sts:AssumeRole on role arn:aws:iam::999999999999:role/admin");
    }
}
