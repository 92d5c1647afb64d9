using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>
/// Configures an official AWSSDK client (<c>AmazonEC2Config</c>, STS…) from an <see cref="AwsContext"/>, so SDK
/// clients use the same endpoint resolution, region and retry/timeout policy as our own clients.
/// </summary>
public static class AwsSdkClientConfig
{
    /// <summary>Applies endpoint, region, retry mode, attempts and timeout; returns <paramref name="config"/>.</summary>
    public static TConfig Configure<TConfig>(TConfig config, AwsContext context, AwsService service)
        where TConfig : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(service);
        // Our resolution already applied the environment and profile endpoint settings (from the injectable
        // environment); stop the SDK from applying the process's own a second time.
        config.IgnoreConfiguredEndpointUrls = true;
        var endpoint = context.ResolveEndpointWithSource(service);
        if (endpoint.IsOverride)
        {
            config.ServiceURL = endpoint.Uri.ToString();
            config.AuthenticationRegion = context.Region.SystemName;
        }
        else
        {
            config.RegionEndpoint = context.Region;
        }
        var options = context.Runtime.Options;
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = options.MaxAttempts - 1;
        config.Timeout = options.AttemptTimeout;
        return config;
    }
}
