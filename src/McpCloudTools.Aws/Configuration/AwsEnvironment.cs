using Amazon.Runtime;

namespace McpCloudTools.Aws;

/// <summary>
/// Process-wide AWS facts and overrides, passed in rather than read from statics so that tests can substitute the
/// environment and the sandbox mode can point every client at the emulator.
/// </summary>
public sealed class AwsEnvironment
{
    private readonly Func<string, string?> _getVariable;

    /// <summary>Creates an environment over a variable reader (defaults to the process environment).</summary>
    public AwsEnvironment(Func<string, string?>? getVariable = null) =>
        _getVariable = getVariable ?? Environment.GetEnvironmentVariable;

    /// <summary>The real process environment with no overrides.</summary>
    public static AwsEnvironment FromProcess() => new();

    /// <summary>An environment for sandbox mode: every service goes to <paramref name="endpoint"/> with fixed keys.</summary>
    public static AwsEnvironment ForSandbox(
        Uri endpoint, string accessKey, string secretKey, string region, Func<string, string?>? getVariable = null) =>
        new(getVariable)
        {
            ForcedEndpoint = endpoint,
            ForcedCredentials = new BasicAWSCredentials(accessKey, secretKey),
            DefaultRegion = region,
        };

    /// <summary>
    /// When set, every service of every instance goes here, above every other endpoint setting, so that the
    /// forced sandbox credentials can never be sent anywhere else.
    /// </summary>
    public Uri? ForcedEndpoint { get; init; }

    /// <summary>When set, used instead of any profile or chain (sandbox mode); <c>role_arn</c> still applies on top.</summary>
    public AWSCredentials? ForcedCredentials { get; init; }

    /// <summary>Region used when neither the instance, the environment nor the profile names one.</summary>
    public string? DefaultRegion { get; init; }

    /// <summary>Reads an environment variable; blank values count as unset, as the AWS tools treat them.</summary>
    public string? Get(string name)
    {
        var value = _getVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The shared credentials file: <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/credentials</c>.</summary>
    public string CredentialsFilePath =>
        Get("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(HomeDirectory, ".aws", "credentials");

    /// <summary>The profile in effect when an instance names none: <c>AWS_PROFILE</c>, else <c>default</c>.</summary>
    public string DefaultProfileName => Get("AWS_PROFILE") ?? Get("AWS_DEFAULT_PROFILE") ?? "default";

    private string HomeDirectory =>
        Get("HOME") ?? Get("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
