using System.Collections.Concurrent;
using McpCloudTools.Aws;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>
/// One <see cref="Ec2Api"/> per plugin instance and config version: a config change (region, profile, role,
/// endpoint) bumps the version and gets a fresh client, while calls on an unchanged instance share one.
/// </summary>
public sealed class Ec2ClientFactory(AwsContextProvider contexts) : IDisposable
{
    private readonly ConcurrentDictionary<string, (int Version, Lazy<Ec2Api> Api)> _clients = new(StringComparer.Ordinal);

    /// <summary>The EC2 client of <paramref name="instance"/>.</summary>
    public Ec2Api Get(PluginInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var entry = _clients.AddOrUpdate(instance.Id,
            static (id, i) => (i.Instance.ConfigVersion, Create(i.Contexts, i.Instance)),
            // A replaced client is not disposed: a call may still be running on it, and the SDK shares its
            // HttpClient cache between clients, so an abandoned client holds no connections of its own.
            static (id, existing, i) => existing.Version == i.Instance.ConfigVersion ? existing : (i.Instance.ConfigVersion, Create(i.Contexts, i.Instance)),
            (Contexts: contexts, Instance: instance));
        return entry.Api.Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, api) in _clients.Values)
        {
            if (api.IsValueCreated) api.Value.Dispose();
        }
        _clients.Clear();
    }

    private static Lazy<Ec2Api> Create(AwsContextProvider contexts, PluginInstance instance) =>
        // PublicationOnly: a failure (no region yet) is not cached, so fixing the environment needs no restart.
        new(() => new Ec2Api(contexts.Get(instance.Id, instance.Config)), LazyThreadSafetyMode.PublicationOnly);
}
