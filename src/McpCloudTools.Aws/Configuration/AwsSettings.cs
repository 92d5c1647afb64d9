using System.Text.RegularExpressions;
using Amazon;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Aws;

/// <summary>Settings that carry an instance's AWS part (an AWS plugin's own settings type implements it).</summary>
public interface IAwsInstanceSettings
{
    /// <summary>The AWS part: identity, region, endpoint.</summary>
    AwsSettings Aws { get; }
}

/// <summary>
/// The AWS part of one plugin instance's configuration: which identity, region and endpoint it uses. The keys and their
/// parsing live here, once, for every AWS plugin (the sample's too): <see cref="ConfigKeys"/> in a plugin's
/// <c>ConfigKeys</c>, <see cref="Parse"/> in its <c>ParseSettings</c>.
/// </summary>
/// <param name="Profile">Shared config/credentials profile name; null uses the SDK's default chain.</param>
/// <param name="Region">Region system name (e.g. <c>us-east-1</c>); null falls back to the environment and profile.</param>
/// <param name="RoleArn">Role to assume on top of the base credentials.</param>
/// <param name="ExternalId">External id passed with <paramref name="RoleArn"/> (cross-account roles often require it).</param>
/// <param name="EndpointUrl">Endpoint for every service of this instance (LocalStack, the sandbox, a VPC endpoint).</param>
/// <param name="CallerRoleArn">
/// Role every call assumes as its signed-in caller (STS <c>AssumeRoleWithWebIdentity</c> with the caller's token, the
/// session named after them), instead of the instance's own identity.
/// </param>
public sealed partial record AwsSettings(
    string? Profile = null,
    string? Region = null,
    string? RoleArn = null,
    string? ExternalId = null,
    string? EndpointUrl = null,
    string? CallerRoleArn = null) : IAwsInstanceSettings
{
    /// <summary>Config key: the AWS profile.</summary>
    public const string ProfileKey = "profile";

    /// <summary>Config key: the region.</summary>
    public const string RegionKey = "region";

    /// <summary>Config key: the role to assume.</summary>
    public const string RoleArnKey = "role_arn";

    /// <summary>Config key: the external id of the role.</summary>
    public const string ExternalIdKey = "external_id";

    /// <summary>Config key: the endpoint of every service.</summary>
    public const string EndpointUrlKey = "endpoint_url";

    /// <summary>Config key: the role assumed as each signed-in caller.</summary>
    public const string CallerRoleArnKey = PluginInstance.CallerRoleKey;

    /// <summary>The config keys <see cref="Parse"/> reads, described once for every AWS plugin's <c>ConfigKeys</c>.</summary>
    public static IReadOnlyList<PluginConfigKey> ConfigKeys { get; } =
    [
        new(ProfileKey, "AWS profile (default: the default credential chain)"),
        new(RegionKey, "AWS region, e.g. us-east-1 (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)"),
        new(RoleArnKey, "Role to assume on top of the base credentials: arn:aws:iam::<account>:role/<name>"),
        new(ExternalIdKey, "External id for role_arn (a shared secret: redacted when shown)", Secret: true),
        new(EndpointUrlKey, "Endpoint for every AWS call of this instance (LocalStack, the sandbox, a VPC endpoint)"),
        new(CallerRoleArnKey, "Act as each signed-in caller: assume this role with the caller's token (AssumeRoleWithWebIdentity); arn:aws:iam::<account>:role/<name>"),
    ];

    /// <summary>Settings with nothing configured: default credential chain, region from the environment.</summary>
    public static AwsSettings Default { get; } = new();

    /// <inheritdoc />
    AwsSettings IAwsInstanceSettings.Aws => this;

    /// <summary>
    /// Reads and checks the keys <c>profile</c>, <c>region</c>, <c>role_arn</c>, <c>external_id</c> and
    /// <c>endpoint_url</c>, recording in <paramref name="config"/> each bad value with its valid forms (the caller
    /// ends with <see cref="ConfigReader.ThrowIfInvalid"/>). Blank values count as absent; other keys are the plugin's.
    /// </summary>
    public static AwsSettings Parse(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = new AwsSettings(
            config.Text(ProfileKey, ProfileProblem),
            config.Text(RegionKey, RegionProblem),
            config.Text(RoleArnKey, RoleArnProblem),
            config.Text(ExternalIdKey, ExternalIdProblem),
            config.Text(EndpointUrlKey, EndpointProblem),
            config.Text(CallerRoleArnKey, RoleArnProblem));
        if (settings.CallerRoleArn is not null && (settings.RoleArn is not null || settings.Profile is not null))
        {
            config.Problem("caller_role_arn makes every call as its signed-in caller, with the caller's own token: it takes no role_arn or profile. Remove those, or caller_role_arn.");
        }
        if (config.Text(ExternalIdKey) is not null && config.Text(RoleArnKey) is null)
        {
            config.Problem("external_id is sent only when assuming role_arn: set role_arn too, or remove external_id.");
        }

        return settings;
    }

    /// <summary>
    /// The whole config of a plugin whose settings are only the AWS part: <see cref="Parse"/>, refusing every problem at
    /// once (an AWS plugin's <c>ParseSettings</c> in one line).
    /// </summary>
    public static AwsSettings ParseValid(ConfigReader config)
    {
        var settings = Parse(config);
        config.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Null when <paramref name="region"/> is a region name (a known one, or one of the AWS shape), else what is valid.</summary>
    public static string? RegionProblem(string region) =>
        RegionEndpoint.EnumerableAllRegions.Any(r => r.SystemName == region) || RegionPattern().IsMatch(region) ? null
            : "is not an AWS region name: use one such as us-east-1, eu-west-1 or ap-southeast-2 (lower case, as `aws ec2 describe-regions` lists them).";

    private static string? ProfileProblem(string profile) =>
        profile.Length <= 128 && !profile.Any(c => char.IsControl(c) || c is '[' or ']' or '#' or ';') ? null
            : "is not a profile name: use the name of a section of ~/.aws/config (at most 128 characters, no brackets).";

    private static string? RoleArnProblem(string arn) => RoleArnPattern().IsMatch(arn) ? null
        : "is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name> (a path is allowed: role/<path>/<name>).";

    private static string? ExternalIdProblem(string externalId) => ExternalIdPattern().IsMatch(externalId) ? null
        : "is not a valid external id: use 2 to 1,224 letters, digits and _ + = , . @ : / - (no spaces).";

    private static string? EndpointProblem(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? null
            : "is not an http(s) URL without credentials or query: use a form like https://localhost:4566 or https://vpce-0123.ec2.us-east-1.vpce.amazonaws.com.";

    [GeneratedRegex("^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe|us-isof)-[a-z]+-[0-9]{1,2}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::[0-9]{12}:role/([\x21-\x7E]{0,510}/)?[A-Za-z0-9+=,.@_-]{1,64}$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]{2,1224}$")]
    private static partial Regex ExternalIdPattern();
}
