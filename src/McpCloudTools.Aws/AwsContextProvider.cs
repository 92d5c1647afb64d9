using System.Collections.Concurrent;

namespace McpCloudTools.Aws;

/// <summary>
/// Hands each plugin instance its <see cref="AwsContext"/>, built once and kept while the instance's settings stay
/// the same; a changed configuration gets a fresh context (new credentials, region and endpoints).
/// </summary>
public sealed class AwsContextProvider(AwsEnvironment environment, AwsRuntime runtime)
{
    private readonly ConcurrentDictionary<string, AwsContext> _contexts = new(StringComparer.Ordinal);

    /// <summary>The process environment and sandbox overrides every context shares.</summary>
    public AwsEnvironment Environment { get; } = environment;

    /// <summary>Shared policy, signer and connection pool.</summary>
    public AwsRuntime Runtime { get; } = runtime;

    /// <summary>The context of <paramref name="instanceId"/> for <paramref name="settings"/>, reused while they are unchanged.</summary>
    public AwsContext Get(string instanceId, AwsSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(settings);
        return _contexts.AddOrUpdate(instanceId,
            static (_, state) => new AwsContext(state.settings, state.self.Environment, state.self.Runtime),
            static (_, existing, state) => existing.Settings == state.settings
                ? existing
                : new AwsContext(state.settings, state.self.Environment, state.self.Runtime),
            (settings, self: this));
    }

    /// <summary>The context of an instance from its raw config (<see cref="AwsSettings.FromConfig"/>).</summary>
    public AwsContext Get(string instanceId, IReadOnlyDictionary<string, string> config) =>
        Get(instanceId, AwsSettings.FromConfig(config));

    /// <summary>Forgets an instance's context (its plugin instance was removed or reconfigured).</summary>
    public void Invalidate(string instanceId) => _contexts.TryRemove(instanceId, out _);
}
