using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>
/// The per-instance clients, and the only place that creates one, kept in the Core per-instance cache: rebuilt when
/// the instance's config changes, the old one disposed once retired. In sandbox mode every instance talks to the sandbox.
/// </summary>
internal sealed class SlurmConnections(IServiceProvider services)
{
    /// <summary>Per call to slurmrestd.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly SandboxTarget? _sandbox = services.GetService<SandboxTarget>();

    /// <summary>Whether instances point at the sandbox.</summary>
    public bool IsSandbox => _sandbox is not null;

    /// <summary>The client of <paramref name="context"/>'s instance.</summary>
    public SlurmClient For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Service(Create);
    }

    private SlurmClient Create(PluginContext context)
    {
        var instance = context.Instance;
        var settings = context.Settings<SlurmConfig>().ForCalls(instance.Id, _sandbox);
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
