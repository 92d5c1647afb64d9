using System.Collections.Concurrent;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Plugins;

/// <summary>A cluster-scoped tool's target: the cluster and the plugin instance that serves it.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Plugin">The serving instance's context.</param>
public sealed record ClusterTarget(ClusterInfo Cluster, PluginContext Plugin);

/// <summary>
/// Routes a call to a plugin instance (the named one or the default) or cluster (the named one, the caller's active
/// one, or the only one), initialising the instance on first use. Initialisation runs once per instance config; a
/// failed one is retried on the next call, and its error is what a call that finds no cluster is told. A cluster
/// already known (registered, or discovered earlier) does not depend on it: when discovery fails (a control-plane
/// outage), calls on that cluster still go ahead. Plugins route through <see cref="PluginRouter{TPlugin}"/>: routing
/// by a type name is internal to Core (the management tools and resources, which name the type they were given).
/// </summary>
public sealed partial class PluginRouter(RegistryStateOwner state, TargetResolver resolver, ClusterRegistry clusters, ToolCatalog catalog,
    InstanceServiceCache cache, IServiceProvider services, IEnumerable<IReadinessGate> gates, ILogger<PluginRouter> logger)
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(60);
    private readonly IReadinessGate[] _gates = [.. gates];

    /// <summary>The context of the instance a call of <paramref name="type"/> should use, initialised.</summary>
    internal async Task<PluginContext> InstanceAsync(string type, string? instanceId, CancellationToken cancellationToken)
    {
        var context = Context(resolver.ResolveInstance(type, instanceId, CallerKey.Current));
        Audit.AuditScope.NoteTarget(context.Instance.Id);
        await EnsureInitializedAsync(context, cancellationToken).ConfigureAwait(false);
        return context;
    }

    /// <summary>Every enabled instance of <paramref name="type"/>, initialised: the default one (see <see cref="InstanceAsync"/>) first.</summary>
    internal async Task<IReadOnlyList<PluginContext>> AllInstancesAsync(string type, CancellationToken cancellationToken)
    {
        var first = await InstanceAsync(type, null, cancellationToken).ConfigureAwait(false);
        var others = state.Current.Instances.Where(i => i.Type == type && i.Enabled && i.Id != first.Instance.Id).ToList();
        var contexts = await Task.WhenAll(others.Select(i => InstanceAsync(type, i.Id, cancellationToken))).ConfigureAwait(false);
        return [first, .. contexts];
    }

    /// <summary>
    /// The cluster a cluster-scoped call of <paramref name="type"/> should act on, with its instance initialised. When
    /// none can be chosen the instances discover theirs first; if still none, the refusal says why, with each failed
    /// instance's initialisation error (no url, unreachable, credentials refused…).
    /// </summary>
    internal async Task<ClusterTarget> ClusterAsync(string type, string? clusterId, CancellationToken cancellationToken)
    {
        var caller = CallerKey.Current;
        var cluster = resolver.TryResolveCluster(type, clusterId, caller, out _);
        if (cluster is null)
        {
            // Unknown yet: let the enabled instances of this type discover their clusters, then look again.
            var failures = await InitializeAllAsync(type, refresh: false, cancellationToken).ConfigureAwait(false);
            cluster = resolver.TryResolveCluster(type, clusterId, caller, out var problem);
            if (cluster is null)
            {
                throw failures.Count == 0 ? problem! : new RegistryException(problem!.Kind,
                    $"{problem.Message} Discovery failed: {string.Join("; ", failures.Select(f => $"instance {f.Key}: {f.Value.TrimEnd('.')}"))}.",
                    problem.Remedy);
            }
        }

        var instance = resolver.ResolveInstance(type,
            cluster.InstanceId is { } id && state.Current.FindInstance(id) is { Enabled: true } ? id : null, caller);
        var context = Context(instance);
        Audit.AuditScope.NoteTarget(instance.Id, cluster.Id);
        try
        {
            await EnsureInitializedAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Discovery failed, but this cluster was known before it: its own API may well answer (the EKS control
            // plane can be down while the Kubernetes API serves). Its calls say so themselves if it does not.
            LogKnownClusterDespiteInitFailure(logger, cluster.Id, instance.Id, e.Message);
        }

        return new ClusterTarget(cluster, context);
    }

    /// <summary>
    /// Initialises every enabled instance (of one type, or all), again when <paramref name="refresh"/> is set.
    /// Returns the failures by instance id, so a caller can show them beside what worked.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> InitializeAllAsync(string? type, bool refresh, CancellationToken cancellationToken)
    {
        var instances = state.Current.Instances.Where(i => i.Enabled && (type is null || i.Type == type) && catalog.FindPlugin(i.Type) is not null).ToList();
        var failures = new ConcurrentDictionary<string, string>();
        await Task.WhenAll(instances.Select(async i =>
        {
            var context = Context(i);
            if (refresh)
            {
                cache.Evict<Initialized>(i.Id);
            }

            try
            {
                await EnsureInitializedAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures[i.Id] = e is ToolException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            }
        })).ConfigureAwait(false);
        return failures;
    }

    /// <summary>A context for an instance, without initialising it.</summary>
    public PluginContext Context(PluginInstance instance) => new(instance, services, clusters);

    /// <summary>Waits for every readiness gate (e.g. the in-process sandbox).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) =>
        _gates.Length == 0 ? Task.CompletedTask : Task.WhenAll(_gates.Select(g => g.WaitAsync(cancellationToken)));

    private async Task EnsureInitializedAsync(PluginContext context, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var plugin = catalog.FindPlugin(context.Instance.Type)
            ?? throw new ToolException($"Plugin type '{context.Instance.Type}' is not part of this build.");
        await cache.GetAsync(context.Instance, "", _ => RunInitAsync(plugin, context),
            $"the {context.Instance.Type} instance '{context.Instance.Id}' to initialise (discovery)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Once per instance and config version (kept in the cache, so a config change initialises again); a failure is not kept.</summary>
    private static async Task<Initialized> RunInitAsync(PluginBase plugin, PluginContext context)
    {
        // Not the caller's token: several calls may wait on one initialisation, and one caller cancelling
        // must not fail it for the others.
        using var timeout = new CancellationTokenSource(InitTimeout);
        using var shared = Mcp.CallDeadline.Suspend();
        try
        {
            await plugin.InitializeAsync(context, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new ToolException($"Initialising {context.Instance.Type} instance '{context.Instance.Id}' (discovery) did not finish within " +
                $"{InitTimeout.TotalSeconds:0} s. Retry; if it persists, check that its endpoints answer (plugins_list check_health=true).", e);
        }

        return Initialized.Done;
    }

    private sealed class Initialized
    {
        public static readonly Initialized Done = new();
    }

    [LoggerMessage(LogLevel.Warning, "Cluster {Cluster} is used although instance {Instance} could not initialise (discovery): {Reason}")]
    private static partial void LogKnownClusterDespiteInitFailure(ILogger logger, string cluster, string instance, string reason);
}

/// <summary>
/// The router of one plugin type, which its tools and services take by injection: a tool asks for "my instance" or
/// "my cluster" and never names its type. Registered by <c>services.AddPlugin&lt;TPlugin&gt;()</c>.
/// </summary>
/// <typeparam name="TPlugin">The plugin type.</typeparam>
public sealed class PluginRouter<TPlugin>(string type, PluginRouter router, RegistryStateOwner state) where TPlugin : PluginBase
{
    /// <summary>The plugin type this router serves (<c>ec2</c>, <c>eks</c>…).</summary>
    public string Type { get; } = type;

    /// <summary>The context of the instance a call should use (the named one, else the default), initialised.</summary>
    public Task<PluginContext> InstanceAsync(string? instanceId, CancellationToken cancellationToken) =>
        router.InstanceAsync(Type, instanceId, cancellationToken);

    /// <summary>Every enabled instance of the type, initialised, the default one first (tools that look in each account).</summary>
    public Task<IReadOnlyList<PluginContext>> AllInstancesAsync(CancellationToken cancellationToken) =>
        router.AllInstancesAsync(Type, cancellationToken);

    /// <summary>The cluster a call should act on (named, else the caller's active one, else the only one), with its instance initialised.</summary>
    public Task<ClusterTarget> ClusterAsync(string? clusterId, CancellationToken cancellationToken) =>
        router.ClusterAsync(Type, clusterId, cancellationToken);

    /// <summary>The caller's active cluster when it is one of this type.</summary>
    public ClusterInfo? ActiveCluster => state.Current.ActiveCluster(CallerKey.Current) is { } active && active.PluginType == Type ? active : null;

    /// <summary>The type's clusters.</summary>
    public IReadOnlyList<ClusterInfo> Clusters => [.. state.Current.Clusters.Where(c => c.PluginType == Type)];
}
