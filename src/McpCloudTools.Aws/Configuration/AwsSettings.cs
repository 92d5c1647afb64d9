namespace McpCloudTools.Aws;

/// <summary>The AWS part of one plugin instance's configuration: which identity, region and endpoint it uses.</summary>
/// <param name="Profile">Shared config/credentials profile name; null uses the SDK's default chain.</param>
/// <param name="Region">Region system name (e.g. <c>us-east-1</c>); null falls back to the environment and profile.</param>
/// <param name="RoleArn">Role to assume on top of the base credentials.</param>
/// <param name="ExternalId">External id passed with <paramref name="RoleArn"/> (cross-account roles often require it).</param>
/// <param name="EndpointUrl">Endpoint for every service of this instance (LocalStack, the sandbox, a VPC endpoint).</param>
public sealed record AwsSettings(
    string? Profile = null,
    string? Region = null,
    string? RoleArn = null,
    string? ExternalId = null,
    string? EndpointUrl = null)
{
    /// <summary>The config keys <see cref="FromConfig"/> reads, described once for every AWS plugin's <c>ConfigKeys</c>.</summary>
    public static IReadOnlyList<McpCloudTools.Core.Plugins.PluginConfigKey> ConfigKeys { get; } =
    [
        new("profile", "AWS profile (default: the default credential chain)"),
        new("region", "AWS region, e.g. us-east-1 (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)"),
        new("role_arn", "Role to assume on top of the base credentials"),
        new("external_id", "External id for role_arn (a shared secret: redacted when shown)", Secret: true),
        new("endpoint_url", "Endpoint for every AWS call of this instance (LocalStack, the sandbox, a VPC endpoint)"),
    ];

    /// <summary>Settings with nothing configured: default credential chain, region from the environment.</summary>
    public static AwsSettings Default { get; } = new();

    /// <summary>
    /// Reads a plugin instance's config keys <c>profile</c>, <c>region</c>, <c>role_arn</c>, <c>external_id</c>
    /// and <c>endpoint_url</c>. Blank values count as absent; other keys are ignored (they belong to the plugin).
    /// </summary>
    public static AwsSettings FromConfig(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var endpoint = Value(config, "endpoint_url");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new AwsConfigurationException(
                $"endpoint_url '{endpoint}' is not an absolute URL; use a form like https://localhost:4566.");
        }
        return new AwsSettings(
            Value(config, "profile"), Value(config, "region"), Value(config, "role_arn"),
            Value(config, "external_id"), endpoint);
    }

    private static string? Value(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
