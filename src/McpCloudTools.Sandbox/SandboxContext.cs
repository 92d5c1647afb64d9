using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>
/// What the services of one region share: options, the clock, the keys and the request log (shared by every region),
/// the region's own log store, logging, and seeded randomness.
/// </summary>
public sealed class SandboxContext
{
    internal SandboxContext(SandboxOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Clock = new SandboxClock(options.ClockSpeed);
        Credentials = new SandboxCredentialStore(options);
        Requests = new SandboxRequestLog();
        KubernetesPorts = new KubernetesPortPlan(options.KubernetesBasePort);
        Region = options.Region;
        Scenario = options.Scenario;
        Logs = new SandboxLogStore(Region, options.AccountId);
    }

    private SandboxContext(SandboxContext home, string region)
    {
        Options = home.Options;
        LoggerFactory = home.LoggerFactory;
        Clock = home.Clock;
        Credentials = home.Credentials;
        Requests = home.Requests;
        KubernetesPorts = home.KubernetesPorts;
        Region = region;
        Scenario = home.Options.Scenario.ForSecondRegion();
        Logs = new SandboxLogStore(region, home.Options.AccountId);
    }

    /// <summary>Every request received, as sent, with ambiguous targets flagged (for tests).</summary>
    public SandboxRequestLog Requests { get; }

    /// <summary>The sandbox's options.</summary>
    public SandboxOptions Options { get; }

    /// <summary>Account id for ARNs.</summary>
    public string AccountId => Options.AccountId;

    /// <summary>This region (ARNs, zones, endpoints).</summary>
    public string Region { get; }

    /// <summary>True for the default region (the full scenario); false for the second, smaller one.</summary>
    public bool IsDefaultRegion => Region == Options.Region;

    /// <summary>What this region holds at start.</summary>
    public SandboxScenario Scenario { get; }

    /// <summary>Sandbox time for state transitions.</summary>
    public SandboxClock Clock { get; }

    /// <summary>Accepted keys (and STS-issued sessions).</summary>
    public SandboxCredentialStore Credentials { get; }

    /// <summary>CloudWatch Logs data of this region: services write their logs here (Lambda <c>/aws/lambda/…</c>, Batch <c>/aws/batch/job</c>).</summary>
    public SandboxLogStore Logs { get; }

    /// <summary>Where each cluster's Kubernetes API listens.</summary>
    internal KubernetesPortPlan KubernetesPorts { get; }

    /// <summary>Logging for services.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The context of another region, sharing everything but the region's own state.</summary>
    internal SandboxContext ForRegion(string region) => new(this, region);

    /// <summary>
    /// A random source derived from the scenario seed and <paramref name="salt"/>, so each service is deterministic on
    /// its own; the second region salts with its name, so its data differs from the default region's.
    /// </summary>
    public Random CreateRandom(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        var hash = Options.Scenario.Seed;
        foreach (var c in IsDefaultRegion ? salt : Region + "/" + salt) hash = unchecked(hash * 31 + c);
        return new Random(hash);
    }
}

/// <summary>
/// The ports of the clusters' Kubernetes APIs: with a fixed sandbox port, cluster n (in the order the host registers
/// them: regions in <see cref="SandboxOptions.Regions"/> order, clusters by name) gets <c>port + n</c>, the same on
/// every start; with port 0 each gets a free one.
/// </summary>
internal sealed class KubernetesPortPlan(int basePort)
{
    private readonly Dictionary<(string Region, string Cluster), int> _ports = [];

    /// <summary>Assigns the next port to a cluster (called once per cluster, before any API starts).</summary>
    public void Register(string region, string cluster)
    {
        if (_ports.ContainsKey((region, cluster))) return;
        if (_ports.Count >= SandboxOptions.KubernetesPortsReserved && basePort != 0)
            throw new InvalidOperationException($"More than {SandboxOptions.KubernetesPortsReserved} clusters: raise SandboxOptions.KubernetesPortsReserved.");
        _ports[(region, cluster)] = basePort == 0 ? 0 : basePort + 1 + _ports.Count;
    }

    /// <summary>The port of a cluster's API (0: any free port).</summary>
    public int PortOf(string region, string cluster) => _ports.TryGetValue((region, cluster), out var port) ? port : 0;

    /// <summary>The range in use, for messages (<c>4566-4570</c>).</summary>
    public string Range => basePort == 0 ? "free ports" : $"{basePort}-{basePort + _ports.Count}";
}

/// <summary>One region of the sandbox: its context and its services, with their own state.</summary>
public sealed class SandboxRegion
{
    internal SandboxRegion(SandboxContext context, IReadOnlyList<ISandboxService> services)
    {
        Context = context;
        Services = services;
    }

    /// <summary>The region's name.</summary>
    public string Name => Context.Region;

    /// <summary>The region's context.</summary>
    public SandboxContext Context { get; }

    /// <summary>The region's services.</summary>
    public IReadOnlyList<ISandboxService> Services { get; }

    /// <summary>The service of type <typeparamref name="T"/>.</summary>
    public T Service<T>() where T : ISandboxService => Services.OfType<T>().Single();
}
