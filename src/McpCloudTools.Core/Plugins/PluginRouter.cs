using System.Collections.Concurrent;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Plugins;

/// <summary>A cluster-scoped tool's target: the cluster and the plugin instance that serves it.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Plugin">The serving instance's context.</param>
public sealed record ClusterTarget(ClusterInfo Cluster, PluginContext Plugin);

/// <summary>
/// Routes a tool call to its plugin instance (the named one or the default) or cluster (the named one, the active
/// one, or the only one), initialising the instance on first use. Initialisation runs once per instance config;
/// a failed one is retried on the next call. A cluster already known (registered, or discovered earlier) does not
/// depend on it: when discovery fails (a control-plane outage), calls on that cluster still go ahead.
/// </summary>
public sealed partial class PluginRouter(PluginRegistry registry, IServiceProvider services, IEnumerable<IReadinessGate> gates,
    ILogger<PluginRouter> logger)
{
    private readonly IReadinessGate[] _gates = [.. gates];

    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<(string Id, int Version), Lazy<Task>> _initialized = new();

    /// <summary>The context of the instance a <paramref name="type"/> tool should use, initialised.</summary>
    public async Task<PluginContext> InstanceAsync(string type, string? instanceId, CancellationToken cancellationToken)
    {
        var context = Context(registry.ResolveInstance(type, instanceId));
        await EnsureInitializedAsync(context, cancellationToken).ConfigureAwait(false);
        return context;
    }

    /// <summary>The cluster a cluster-scoped <paramref name="type"/> tool should act on, with its instance initialised.</summary>
    public async Task<ClusterTarget> ClusterAsync(string type, string? clusterId, CancellationToken cancellationToken)
    {
        var cluster = registry.TryResolveCluster(type, clusterId, out _);
        if (cluster is null)
        {
            // Unknown yet: let the enabled instances of this type discover their clusters, then look again.
            await InitializeAllAsync(type, refresh: false, cancellationToken).ConfigureAwait(false);
            cluster = registry.TryResolveCluster(type, clusterId, out var problem) ?? throw new ToolException(problem);
        }

        var instance = registry.ResolveInstance(type, cluster.InstanceId is { } id && registry.State.FindInstance(id) is { Enabled: true } ? id : null);
        var context = Context(instance);
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
        var instances = registry.Instances.Where(i => i.Enabled && (type is null || i.Type == type) && registry.Catalog.FindPlugin(i.Type) is not null).ToList();
        var failures = new ConcurrentDictionary<string, string>();
        await Task.WhenAll(instances.Select(async i =>
        {
            var context = Context(i);
            if (refresh)
            {
                _initialized.TryRemove((i.Id, i.ConfigVersion), out _);
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
    public PluginContext Context(PluginInstance instance) => new(instance, services, registry);

    /// <summary>Waits for every readiness gate (e.g. the in-process sandbox).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) =>
        _gates.Length == 0 ? Task.CompletedTask : Task.WhenAll(_gates.Select(g => g.WaitAsync(cancellationToken)));

    private async Task EnsureInitializedAsync(PluginContext context, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var plugin = registry.Catalog.FindPlugin(context.Instance.Type)
            ?? throw new ToolException($"Plugin type '{context.Instance.Type}' is not part of this build.");
        var key = (context.Instance.Id, context.Instance.ConfigVersion);
        var lazy = _initialized.GetOrAdd(key, _ => new Lazy<Task>(() => RunInitAsync(plugin, context, key)));
        if (!lazy.Value.IsCompleted)
        {
            Mcp.CallDeadline.NoteWaitingFor($"the {context.Instance.Type} instance '{context.Instance.Id}' to initialise (discovery)");
        }

        await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunInitAsync(PluginBase plugin, PluginContext context, (string, int) key)
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
            _initialized.TryRemove(key, out _);
            throw new ToolException($"Initialising {context.Instance.Type} instance '{context.Instance.Id}' (discovery) did not finish within " +
                $"{InitTimeout.TotalSeconds:0} s. Retry; if it persists, check that its endpoints answer (plugins_list check_health=true).", e);
        }
        catch
        {
            _initialized.TryRemove(key, out _);
            throw;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cluster {Cluster} is used although instance {Instance} could not initialise (discovery): {Reason}")]
    private static partial void LogKnownClusterDespiteInitFailure(ILogger logger, string cluster, string instance, string reason);
}
