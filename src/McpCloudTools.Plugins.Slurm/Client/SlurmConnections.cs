using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>
/// The per-instance clients, and the only place that creates one: rebuilt when the instance's config version
/// changes, the old one disposed. In sandbox mode every instance talks to the sandbox.
/// </summary>
internal sealed class SlurmConnections(IServiceProvider services) : IDisposable
{
    /// <summary>Per call to slurmrestd.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly SandboxTarget? _sandbox = services.GetService<SandboxTarget>();
    private readonly ConcurrentDictionary<string, (int Version, Lazy<SlurmClient> Client)> _cache = new(StringComparer.Ordinal);

    /// <summary>Whether instances point at the sandbox.</summary>
    public bool IsSandbox => _sandbox is not null;

    /// <summary>The client of an instance.</summary>
    public SlurmClient For(PluginInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var entry = _cache.AddOrUpdate(instance.Id,
            _ => (instance.ConfigVersion, new Lazy<SlurmClient>(() => Create(instance))),
            (_, old) =>
            {
                if (old.Version == instance.ConfigVersion)
                {
                    return old;
                }

                if (old.Client.IsValueCreated)
                {
                    old.Client.Value.Dispose();
                }

                return (instance.ConfigVersion, new Lazy<SlurmClient>(() => Create(instance)));
            });
        return entry.Client.Value;
    }

    public void Dispose()
    {
        foreach (var (_, entry) in _cache)
        {
            if (entry.Client.IsValueCreated)
            {
                entry.Client.Value.Dispose();
            }
        }
    }

    private SlurmClient Create(PluginInstance instance)
    {
        var settings = SlurmSettings.From(instance, _sandbox);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (settings.CaFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new ToolException($"ca_file {caFile} of instance {instance.Id} is not a readable PEM bundle ({e.Message}).", e);
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots);
        }

        return new SlurmClient(new HttpClient(handler) { Timeout = CallTimeout }, settings, instance.Id);
    }

    // The system's roots, or the given bundle: a name mismatch is never forgiven.
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
