namespace McpCloudTools.Aws;

/// <summary>Where an endpoint came from, so diagnostics can say why a call went where it went.</summary>
public enum AwsEndpointSource
{
    /// <summary>Sandbox mode forces every service to the emulator.</summary>
    Sandbox,

    /// <summary>The instance's <c>endpoint_url</c>.</summary>
    Instance,

    /// <summary><c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>.</summary>
    ServiceEnvironment,

    /// <summary><c>AWS_ENDPOINT_URL</c>.</summary>
    GlobalEnvironment,

    /// <summary>The profile's <c>endpoint_url</c>.</summary>
    Profile,

    /// <summary>The public AWS endpoint <c>https://{prefix}.{region}.{dnsSuffix}</c>.</summary>
    Default,
}

/// <summary>A resolved endpoint and the setting it came from.</summary>
/// <param name="Uri">Base URI of the service.</param>
/// <param name="Source">The setting that chose it.</param>
public sealed record AwsEndpoint(Uri Uri, AwsEndpointSource Source)
{
    /// <summary>True when something other than the public AWS endpoint applies.</summary>
    public bool IsOverride => Source != AwsEndpointSource.Default;
}
