using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.SecurityToken;

namespace McpCloudTools.Aws;

/// <summary>
/// The SDK's refreshing <see cref="AssumeRoleAWSCredentials"/>, but calling STS through a client configured from
/// the instance's context (its endpoint, region and retry policy) instead of the SDK's process-wide defaults, so
/// that <c>role_arn</c> and assume-role profiles honour <c>endpoint_url</c> and sandbox mode like every other call.
/// Using the STS client type directly also keeps AWSSDK.SecurityToken under trimming.
/// </summary>
public sealed class ContextAssumeRoleCredentials(
    AWSCredentials sourceCredentials,
    string roleArn,
    string roleSessionName,
    AssumeRoleAWSCredentialsOptions options,
    Func<AmazonSecurityTokenServiceConfig> stsConfig)
    : AssumeRoleAWSCredentials(sourceCredentials, roleArn, roleSessionName, options)
{
    /// <inheritdoc />
    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        using var client = new AmazonSecurityTokenServiceClient(SourceCredentials, stsConfig());
        var credentials = await ((ICoreAmazonSTS)client)
            .CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, RoleSessionName, Options).ConfigureAwait(false);
        return new CredentialsRefreshState(credentials, credentials.Expiration);
    }

    /// <summary>
    /// Replaces the SDK's own assume-role credentials (made for a profile with <c>role_arn</c>), including those
    /// in a source-profile chain, with ones that call STS through <paramref name="stsConfig"/>.
    /// </summary>
    public static AWSCredentials Rewrap(AWSCredentials credentials, Func<AmazonSecurityTokenServiceConfig> stsConfig) =>
        credentials is AssumeRoleAWSCredentials role and not ContextAssumeRoleCredentials
            ? new ContextAssumeRoleCredentials(Rewrap(role.SourceCredentials, stsConfig), role.RoleArn,
                role.RoleSessionName, role.Options, stsConfig)
            : credentials;
}
