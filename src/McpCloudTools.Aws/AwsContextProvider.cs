using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Aws;

/// <summary>
/// Hands each plugin instance its <see cref="AwsContext"/> (region, credentials, endpoints, HTTP pipelines), kept in
/// the Core <see cref="InstanceServiceCache"/> like every other per-instance object: one per instance and config
/// version, evicted when the config changes or the instance is removed, so new credentials take effect at once.
/// </summary>
public sealed class AwsContextProvider(AwsEnvironment environment, AwsRuntime runtime)
{
    /// <summary>The process environment and sandbox overrides every context shares.</summary>
    public AwsEnvironment Environment { get; } = environment;

    /// <summary>Shared policy, signer and connection pool.</summary>
    public AwsRuntime Runtime { get; } = runtime;

    /// <summary>
    /// The context of <paramref name="context"/>'s instance, built from its typed settings (its plugin's
    /// <c>ParseSettings</c> returns <see cref="AwsSettings"/>, or settings that carry them: <see cref="IAwsInstanceSettings"/>).
    /// </summary>
    public AwsContext For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service(c => Create(c.Settings<IAwsInstanceSettings>().Aws));
    }

    /// <summary>A new context for <paramref name="settings"/>, outside the cache (tests, tools that are not plugins).</summary>
    public AwsContext Create(AwsSettings settings) => new(settings, Environment, Runtime);
}
