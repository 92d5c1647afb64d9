using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace McpCloudTools.Aws;

/// <summary>STS calls the product makes itself: who am I (health checks, naming the identity in AccessDenied).</summary>
public interface IStsClient
{
    /// <summary>Returns the caller's account, ARN and user id; the context remembers it for error messages.</summary>
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IStsClient"/> over AWSSDK.SecurityToken: the package is referenced anyway (the SDK needs it for
/// assume-role), speaks the Query protocol correctly, and shows the EC2-style SDK-client path works with our config.
/// </summary>
public sealed class StsClient(AwsContext context) : IStsClient
{
    /// <inheritdoc />
    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        var endpoint = context.ResolveEndpoint(AwsService.Sts);
        using var client = new AmazonSecurityTokenServiceClient(context.Credentials, context.CreateStsConfig());
        try
        {
            var response = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)
                .ConfigureAwait(false);
            var identity = new CallerIdentity(response.Account, response.Arn, response.UserId);
            context.RememberIdentity(identity);
            return identity;
        }
        catch (AmazonServiceException e)
        {
            throw AwsErrorMapper.FromSdkException(e, context.CallInfo(AwsService.Sts, "GetCallerIdentity"));
        }
        catch (HttpRequestException e)
        {
            throw AwsErrorMapper.FromNetworkFailure(e, endpoint, context.CallInfo(AwsService.Sts, "GetCallerIdentity"));
        }
    }
}
