using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>
/// Credentials that are resolved on first use, not when the context is built: building a context must stay free of
/// file reads and network calls (container or SSO providers may call out). Resolution failures become an
/// <see cref="AwsConfigurationException"/> that says what to set; the resolved object refreshes itself.
/// </summary>
internal sealed class DeferredCredentials(Func<AWSCredentials> resolve, Func<Exception, Exception> explain)
    : AWSCredentials
{
    private readonly Lazy<AWSCredentials> _inner = new(resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The resolved SDK credentials object (resolving it now if needed).</summary>
    public AWSCredentials Inner
    {
        get
        {
            try
            {
                return _inner.Value;
            }
            catch (Exception e) when (e is not AwsConfigurationException)
            {
                throw explain(e);
            }
        }
    }

    /// <inheritdoc />
    public override ImmutableCredentials GetCredentials()
    {
        try
        {
            return Inner.GetCredentials();
        }
        catch (Exception e) when (e is not (AwsConfigurationException or AwsServiceException))
        {
            throw explain(e);
        }
    }

    /// <inheritdoc />
    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        try
        {
            return await Inner.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (AwsConfigurationException or AwsServiceException))
        {
            throw explain(e);
        }
    }
}
