using System.Diagnostics.CodeAnalysis;
using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace McpCloudTools.Aws;

/// <summary>
/// Keeps the STS, SSO and SSO-OIDC clients that AWSSDK.Core loads by reflection (assume-role, web identity and
/// SSO profiles) alive under trimming and NativeAOT.
/// </summary>
/// <remarks>
/// SSO and SSO-OIDC are registered as factories with the SDK's runtime-dependency registry, building exactly what
/// the SDK's reflection fallback would (anonymous credentials, the requested region), so no reflection is needed.
/// STS cannot be registered that way because the registry passes no source credentials; our own assume-role path
/// (<see cref="ContextAssumeRoleCredentials"/>) uses the STS client type directly, and the
/// <see cref="DynamicDependencyAttribute"/>s keep the constructors the SDK's fallback reflects on for web identity.
/// </remarks>
public static class AwsSdkDependencies
{
    private static int _registered;

    /// <summary>Registers the factories once per process (the SDK's registry is itself process-wide).</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSecurityTokenServiceClient))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSecurityTokenServiceConfig))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSSOClient))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSSOConfig))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSSOOIDCClient))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(AmazonSSOOIDCConfig))]
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        GlobalRuntimeDependencyRegistry.Instance.RegisterSSOClient(context =>
            new AmazonSSOClient(new AnonymousAWSCredentials(), Configure(new AmazonSSOConfig(),
                context.SSOClientContextData.Region, context.SSOClientContextData.ProxySettings)));
        GlobalRuntimeDependencyRegistry.Instance.RegisterSSOOIDCClient(context =>
            new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), Configure(new AmazonSSOOIDCConfig(),
                context.SSOOIDCClientContextData.Region, context.SSOOIDCClientContextData.ProxySettings)));
    }

    private static TConfig Configure<TConfig>(TConfig config, Amazon.RegionEndpoint region, System.Net.IWebProxy? proxy)
        where TConfig : ClientConfig
    {
        config.RegionEndpoint = region;
        if (proxy is not null) config.SetWebProxy(proxy);
        return config;
    }
}
