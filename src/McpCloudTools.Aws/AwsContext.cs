using System.Collections.Concurrent;
using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Aws;

/// <summary>
/// Everything one plugin instance needs to call AWS: its region, its (self-refreshing) credentials, endpoint
/// resolution and ready HTTP pipelines. Cheap to build: nothing is read or resolved until first used.
/// </summary>
public sealed class AwsContext
{
    private static readonly TimeSpan IdentityLookupBudget = TimeSpan.FromSeconds(3);
    private readonly Lazy<RegionEndpoint> _region;
    private readonly Lazy<CredentialProfile?> _profile;
    private readonly ConcurrentDictionary<AwsService, HttpClient> _clients = new();
    private CallerIdentity? _identity;

    /// <summary>Creates a context; no file, environment or network access happens here.</summary>
    public AwsContext(AwsSettings settings, AwsEnvironment environment, AwsRuntime runtime)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Environment = environment ?? throw new ArgumentNullException(nameof(environment));
        Runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        AwsSdkDependencies.EnsureRegistered();
        _profile = new Lazy<CredentialProfile?>(ReadProfile);
        _region = new Lazy<RegionEndpoint>(ResolveRegion);
        Credentials = new DeferredCredentials(ResolveCredentials, ExplainCredentialFailure);
    }

    /// <summary>The instance's AWS settings.</summary>
    public AwsSettings Settings { get; }

    /// <summary>Process environment and sandbox overrides.</summary>
    public AwsEnvironment Environment { get; }

    /// <summary>Shared policy, signer and connection pool.</summary>
    public AwsRuntime Runtime { get; }

    /// <summary>True in sandbox mode (every call goes to the emulator).</summary>
    public bool IsSandbox => Environment.ForcedEndpoint is not null;

    /// <summary>
    /// The instance's region: <c>region</c> setting, <c>AWS_REGION</c>, the profile's region,
    /// <c>AWS_DEFAULT_REGION</c>, the sandbox default; never instance metadata.
    /// </summary>
    /// <exception cref="AwsConfigurationException">No region is configured anywhere.</exception>
    public RegionEndpoint Region => _region.Value;

    /// <summary>
    /// The instance's credentials: an SDK object that refreshes itself (assume-role, SSO, web identity). Resolved on
    /// first use; ask it for keys on every request and never keep the keys.
    /// </summary>
    public AWSCredentials Credentials { get; }

    /// <summary>The profile whose settings apply: the instance's, else <c>AWS_PROFILE</c>, else <c>default</c>.</summary>
    public string ProfileName => Settings.Profile ?? Environment.DefaultProfileName;

    /// <summary>The caller identity, once an STS call has revealed it.</summary>
    public CallerIdentity? KnownIdentity => Volatile.Read(ref _identity);

    /// <summary>Who calls, for messages: the ARN when known, else how the credentials are configured.</summary>
    public string IdentityDescription => KnownIdentity is { } id ? id.Arn
        : Settings.CallerRoleArn is { } callerRole ? $"role {callerRole} as {Core.Registry.CallerToken.Current?.SessionName ?? "the signed-in caller"}"
        : IsSandbox ? "the sandbox identity"
        : Settings.RoleArn is { } role ? $"role {role}"
        : Settings.Profile is { } profile ? $"the identity of profile '{profile}'"
        : "the identity of the default credential chain";

    /// <summary>Base URI for <paramref name="service"/>; see <see cref="ResolveEndpointWithSource"/>.</summary>
    public Uri ResolveEndpoint(AwsService service) => ResolveEndpointWithSource(service).Uri;

    /// <summary>
    /// Resolves the endpoint of a service. Precedence: sandbox mode (first, so the forced sandbox credentials can
    /// never leave for another endpoint) &gt; the instance's <c>endpoint_url</c> &gt; <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>
    /// &gt; <c>AWS_ENDPOINT_URL</c> &gt; the profile's <c>services</c> section / <c>endpoint_url</c> &gt;
    /// <c>https://{prefix}.{region}.{dnsSuffix}</c>. <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> skips the
    /// environment and profile steps, as in the AWS SDKs.
    /// </summary>
    public AwsEndpoint ResolveEndpointWithSource(AwsService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (Environment.ForcedEndpoint is { } forced) return new(forced, AwsEndpointSource.Sandbox);
        if (Settings.EndpointUrl is { } own) return new(ParseEndpoint(own, "endpoint_url"), AwsEndpointSource.Instance);
        if (!string.Equals(Environment.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var variable = service.EndpointEnvironmentVariable;
            if (Environment.Get(variable) is { } specific)
                return new(ParseEndpoint(specific, variable), AwsEndpointSource.ServiceEnvironment);
            if (Environment.Get("AWS_ENDPOINT_URL") is { } global)
                return new(ParseEndpoint(global, "AWS_ENDPOINT_URL"), AwsEndpointSource.GlobalEnvironment);
            if (ProfileEndpoint() is { } fromProfile)
                return new(ParseEndpoint(fromProfile, $"endpoint_url of profile '{ProfileName}'"), AwsEndpointSource.Profile);
        }
        var region = Region;
        return new(new Uri($"https://{service.EndpointPrefix}.{region.SystemName}.{region.PartitionDnsSuffix}/"),
            AwsEndpointSource.Default);
    }

    /// <summary>The signed, retrying HTTP client for one service (cached per context).</summary>
    public HttpClient GetHttpClient(AwsService service) => _clients.GetOrAdd(service, CreateHttpClient);

    /// <summary>Call facts for error messages, filled from this context.</summary>
    public AwsCallInfo CallInfo(AwsService service, string operation, string? resource = null, string? hint = null) =>
        new(service, operation, _region.IsValueCreated ? Region.SystemName : Settings.Region ?? "(unresolved)",
            IdentityDescription, resource, hint,
            Settings.Profile ?? (Environment.ForcedCredentials is null ? Environment.Get("AWS_PROFILE") : null),
            KnownIdentity?.Account);

    /// <summary>Records the identity STS reported, so later messages can name it.</summary>
    public void RememberIdentity(CallerIdentity identity) => Volatile.Write(ref _identity, identity);

    /// <summary>
    /// Best effort, for clients about to report AccessDenied (ours and the SDK's): the message is only actionable when
    /// it names the identity, so look it up once (GetCallerIdentity needs no permission) within a short budget, and
    /// carry on without it on any failure.
    /// </summary>
    public async Task TryLearnIdentityAsync(CancellationToken cancellationToken)
    {
        if (KnownIdentity is not null) return;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(IdentityLookupBudget);
        try
        {
            await new StsClient(this).GetCallerIdentityAsync(budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The original AccessDenied is what matters; the identity is a nicety.
        }
    }

    /// <summary>An STS client configuration for this context (endpoint, region, retry policy).</summary>
    public AmazonSecurityTokenServiceConfig CreateStsConfig() =>
        AwsSdkClientConfig.Configure(new AmazonSecurityTokenServiceConfig(), this, AwsService.Sts);

    private HttpClient CreateHttpClient(AwsService service)
    {
        var logger = Runtime.LoggerFactory.CreateLogger<RetryHandler>();
        var signing = new SigningHandler(Runtime.Signer, service.SigningName, Region, Credentials)
        {
            InnerHandler = new RequestIdHandler { InnerHandler = Runtime.Handler },
        };
        var retry = new RetryHandler(Runtime.Options, Runtime.TimeProvider, logger) { InnerHandler = signing };
        var telemetry = new AwsTelemetryHandler(service, Region.SystemName) { InnerHandler = retry };
        // The chain is never disposed: the connection pool at its end is shared and owned by the runtime.
        return new HttpClient(telemetry, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private RegionEndpoint ResolveRegion()
    {
        var name = Settings.Region ?? Environment.Get("AWS_REGION") ?? _profile.Value?.Region?.SystemName
            ?? Environment.Get("AWS_DEFAULT_REGION") ?? Environment.DefaultRegion;
        return name is not null
            ? RegionEndpoint.GetBySystemName(name)
            : throw new AwsConfigurationException(
                $"No AWS region is configured for this instance. Set `region` in the plugin config, or AWS_REGION "
                + $"(or AWS_DEFAULT_REGION) in the environment, or `region` in profile '{ProfileName}' "
                + "(aws configure set region us-east-1).");
    }

    private CredentialProfile? ReadProfile() =>
        new CredentialProfileStoreChain(Environment.CredentialsFilePath).TryGetProfile(ProfileName, out var profile)
            ? profile
            : null;

    // The profile's global endpoint_url only: the SDK keeps the per-service `services` sections internal.
    private string? ProfileEndpoint() =>
        _profile.Value is { EndpointUrl: { } url } && !string.IsNullOrWhiteSpace(url) ? url : null;

    private AWSCredentials ResolveCredentials()
    {
        if (Settings.CallerRoleArn is { } callerRole)
        {
            // The caller's own identity, not the instance's (nor the sandbox user's): this context is the caller's alone.
            return new CallerWebIdentityCredentials(callerRole, CreateStsConfig);
        }

        AWSCredentials credentials;
        if (Environment.ForcedCredentials is { } forced)
        {
            credentials = forced;
        }
        else if (Settings.Profile is { } name)
        {
            var chain = new CredentialProfileStoreChain(Environment.CredentialsFilePath);
            if (!chain.TryGetAWSCredentials(name, out credentials))
            {
                var known = string.Join(", ", chain.ListProfiles().Select(p => p.Name).Order(StringComparer.Ordinal));
                throw new AwsConfigurationException(
                    $"AWS profile '{name}' was not found in {Environment.CredentialsFilePath} or the config file beside "
                    + $"it (known profiles: {(known.Length == 0 ? "none" : known)}). Fix `profile` in the plugin config, "
                    + $"or create it with `aws configure --profile {name}`.");
            }
        }
        else
        {
            credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        credentials = ContextAssumeRoleCredentials.Rewrap(credentials, CreateStsConfig);
        if (Settings.RoleArn is { } roleArn)
        {
            var session = "mcp-cloud-tools-" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
            credentials = new ContextAssumeRoleCredentials(credentials, roleArn, session,
                new AssumeRoleAWSCredentialsOptions { ExternalId = Settings.ExternalId }, CreateStsConfig);
        }
        return credentials;
    }

    private Exception ExplainCredentialFailure(Exception e)
    {
        // The SDK may wrap the STS error of a refresh (e.g. in an AmazonClientException); the service error inside is what matters.
        var service = e as AmazonServiceException;
        for (var inner = e.InnerException; service is null && inner is not null; inner = inner.InnerException)
            service = inner as AmazonServiceException;
        if (service is not null)
        {
            if (Settings.CallerRoleArn is { } callerRole)
            {
                // The caller's own token was refused: what to fix is the trust between the account and the issuer.
                return new AwsConfigurationException(
                    $"AWS STS refused AssumeRoleWithWebIdentity of role {callerRole} as {Core.Registry.CallerToken.Current?.SessionName ?? "you"} " +
                    $"({service.ErrorCode}: {service.Message.TrimEnd('.')}). This instance calls AWS with your own sign-in token: the account's IAM " +
                    "OIDC identity provider must trust the server's issuer and list your token's audience as a client id, and the role's trust " +
                    "policy must allow your subject (README, \"Run it for a team\"). Ask your AWS administrator, or use an instance without caller_role_arn." +
                    (service.RequestId is { Length: > 0 } id ? $" (request id {id})" : ""), e);
            }

            var role = Settings.RoleArn ?? (service.Message.Contains("role", StringComparison.OrdinalIgnoreCase) ? "the profile's role" : null);
            return AwsErrorMapper.FromSdkException(service, CallInfo(AwsService.Sts, "AssumeRole",
                role is null ? null : $"role {role}"));
        }
        var profile = Settings.Profile ?? Environment.Get("AWS_PROFILE");
        if (e.Message.Contains("SSO", StringComparison.Ordinal) && profile is not null)
            return new AwsConfigurationException(
                $"Profile '{profile}' uses AWS SSO and has no valid session. Run `aws sso login --profile {profile}`, "
                + $"then retry. ({e.Message})", e);
        if (e is ProfileNotFoundException)
            return new AwsConfigurationException(
                $"AWS_PROFILE names a profile that does not exist ({e.Message}). Fix AWS_PROFILE or set `profile` in the "
                + "plugin config.", e);
        return new AwsConfigurationException(
            "No usable AWS credentials for this instance: " + e.Message.Split('\n')[0].Trim() + " Set `profile` "
            + "(or `role_arn`) in the plugin config, run `aws configure`, or set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY. Instance metadata is not consulted when AWS_EC2_METADATA_DISABLED=true.", e);
    }

    private static Uri ParseEndpoint(string value, string setting) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new AwsConfigurationException($"{setting} '{value}' is not an http(s) URL; use a form like https://localhost:4566.");
}
