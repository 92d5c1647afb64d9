using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using McpCloudTools.Core.Registry;

namespace McpCloudTools.Aws;

/// <summary>
/// One signed-in caller's credentials for an instance with <c>caller_role_arn</c>: STS <c>AssumeRoleWithWebIdentity</c>
/// with the caller's own token, the role session named after them (so CloudTrail names the person, and IAM's trust
/// policy and the role's permissions limit what their agent does). One object per caller and instance (the
/// per-instance cache keeps it per caller), refreshed shortly before expiry (the SDK's pre-emption) with the token of
/// the caller's call that needs them.
/// </summary>
internal sealed class CallerWebIdentityCredentials(string roleArn, Func<AmazonSecurityTokenServiceConfig> stsConfig) : RefreshingAWSCredentials
{
    private CallerToken? _latest;

    /// <inheritdoc />
    protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        // A refresh runs inside a call of this object's caller (the cache keeps it per caller): the token of that call
        // is the caller's newest; the one kept from the last refresh is the fallback.
        var caller = CallerToken.Current ?? Volatile.Read(ref _latest) ?? throw new AwsConfigurationException(
            $"This instance acts as each signed-in caller (caller_role_arn {roleArn}), and this call carries no caller token. " +
            "Call it over HTTP with sign-in (--auth-issuer), or use an instance without caller_role_arn.");
        using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), stsConfig());
        var response = await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = roleArn, RoleSessionName = caller.SessionName, WebIdentityToken = caller.Token, DurationSeconds = 3600,
        }).ConfigureAwait(false);
        Volatile.Write(ref _latest, caller);
        var c = response.Credentials;
        return new CredentialsRefreshState(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), c.Expiration!.Value);
    }
}
