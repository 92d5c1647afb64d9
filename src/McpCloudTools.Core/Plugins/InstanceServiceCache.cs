using System.Collections.Concurrent;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// The one place plugins keep per-instance objects (typed settings, AWS contexts, SDK clients, HTTP clients, cluster
/// connections): one object per instance, config version, type and optional key, built on first use. When an
/// instance's config changes or the instance is removed (the state owner's change event), its objects are evicted, so
/// the next call builds fresh ones from the new config, and disposed once no call can still be using them
/// (<see cref="RetiredLifetime"/> later, or when the server stops). A failed build is not kept: the next call tries again.
/// For an instance that acts as each caller (<see cref="PluginInstance.ActsAsCaller"/>) every object but its settings is
/// kept per caller as well, and dropped once that caller has not used it for <see cref="CallerIdleLifetime"/>: a team
/// server meets new people every day, and neither their clients nor their credentials may pile up.
/// </summary>
public sealed partial class InstanceServiceCache : IDisposable
{
    /// <summary>
    /// How long an evicted object stays undisposed: a call that took it before the eviction may still be using it, and
    /// no tool call runs longer (the longest wait, <c>*_wait</c> at its maximum, is an hour).
    /// </summary>
    public static readonly TimeSpan RetiredLifetime = TimeSpan.FromMinutes(65);

    /// <summary>
    /// How long an object kept for one caller stays cached unused; it is then retired like an evicted one (a call still
    /// using it keeps it for <see cref="RetiredLifetime"/>), and that caller's next call builds a fresh one.
    /// </summary>
    public static readonly TimeSpan CallerIdleLifetime = TimeSpan.FromMinutes(30);

    /// <summary>How often unused per-caller objects are looked for: they go between 30 and 35 minutes after their last use.</summary>
    private static readonly TimeSpan IdleSweepInterval = TimeSpan.FromMinutes(5);

    /// <summary>What marks a per-caller key: the caller's subject follows it (<see cref="Scoped"/>).</summary>
    private const string CallerMark = "\u0000caller:";

    private readonly ConcurrentDictionary<(string Instance, Type Type, string Key), Entry> _entries = new();
    private readonly ConcurrentDictionary<ITimer, Entry> _retired = new();
    private readonly RegistryStateOwner _state;
    private readonly ToolCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<InstanceServiceCache> _logger;
    private readonly ITimer _idleSweep;
    private bool _disposed;

    /// <summary>Creates the cache and subscribes it to the state's changes.</summary>
    public InstanceServiceCache(RegistryStateOwner state, ToolCatalog catalog, TimeProvider time, ILogger<InstanceServiceCache> logger)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _catalog = catalog;
        _time = time;
        _logger = logger;
        _state.Changed += OnChanged;
        _idleSweep = time.CreateTimer(_ => RetireIdleCallerObjects(), null, IdleSweepInterval, IdleSweepInterval);
    }

    /// <summary>How many objects are cached now (tests read it).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The <typeparamref name="T"/> of <paramref name="instance"/> (and <paramref name="key"/>, for several per instance),
    /// made by <paramref name="create"/> on first use for the instance's config version. One factory per type (and key).
    /// </summary>
    public T Get<T>(PluginInstance instance, Func<PluginInstance, T> create, string key = "") where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(create);
        var entry = Current(instance, typeof(T), key, () =>
        {
            var lazy = new Lazy<object>(() => create(instance));
            return new Entry(instance.ConfigVersion, lazy, () => lazy.IsValueCreated ? SafeValue(lazy) : null);
        });
        try
        {
            return (T)((Lazy<object>)entry.Holder).Value;
        }
        catch
        {
            Forget(instance, typeof(T), key, entry);
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="Get{T}"/> for an object built asynchronously (a cluster connection): concurrent callers share
    /// one build, each waits with its own token, and a failed build is forgotten.
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="key">Which of the instance's objects of this type (a cluster id), or empty.</param>
    /// <param name="create">Builds it.</param>
    /// <param name="waitingFor">What a call waits for while it is built, for the call-deadline message.</param>
    /// <param name="cancellationToken">Stops this caller's wait, not the build.</param>
    public async Task<T> GetAsync<T>(PluginInstance instance, string key, Func<PluginInstance, Task<T>> create, string waitingFor,
        CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(create);
        var entry = Current(instance, typeof(T), key, () =>
        {
            var lazy = new Lazy<Task<T>>(() => create(instance));
            return new Entry(instance.ConfigVersion, lazy, () => lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null);
        });
        var task = ((Lazy<Task<T>>)entry.Holder).Value;
        if (!task.IsCompleted)
        {
            Mcp.CallDeadline.NoteWaitingFor(waitingFor);
        }

        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || task.IsCompleted)
        {
            Forget(instance, typeof(T), key, entry);
            throw;
        }
    }

    /// <summary>
    /// The instance's typed settings: its plugin's <see cref="PluginBase.ParseSettings"/> of its config, once per config
    /// version. A config that no longer parses throws a <see cref="ToolException"/> naming the instance and what is wrong.
    /// </summary>
    public T Settings<T>(PluginInstance instance) where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        var settings = Get<SettingsBox>(instance, i =>
        {
            var plugin = _catalog.FindPlugin(i.Type) ?? throw new ToolException($"Plugin type '{i.Type}' is not part of this build.");
            try
            {
                return new SettingsBox(plugin.ParseSettings(new ConfigReader(i.Config)));
            }
            catch (InvalidConfigException e)
            {
                throw new ToolException($"The {i.Type} instance '{i.Id}' has an invalid config: {e.Message} Fix its config (plugins_list shows it).", e);
            }
        }).Value;
        return settings as T ?? throw new InvalidOperationException(
            $"The {instance.Type} plugin's settings are a {settings.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Evicts every <typeparamref name="T"/> of an instance (e.g. its cluster connections after a rediscovery).</summary>
    public void Evict<T>(string instanceId) where T : class
    {
        foreach (var key in _entries.Keys.Where(k => k.Type == typeof(T) && k.Instance == Normal(instanceId)))
        {
            if (_entries.TryRemove(key, out var entry))
            {
                Retire(entry);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _state.Changed -= OnChanged;
        _idleSweep.Dispose();
        foreach (var (timer, entry) in _retired)
        {
            timer.Dispose();
            DisposeValue(entry);
        }

        _retired.Clear();
        foreach (var entry in _entries.Values)
        {
            DisposeValue(entry);
        }

        _entries.Clear();
    }

    private Entry Current(PluginInstance instance, Type type, string key, Func<Entry> create)
    {
        var k = (Normal(instance.Id), type, Scoped(instance, type, key));
        while (true)
        {
            var entry = _entries.GetOrAdd(k, _ => create());
            if (entry.Version >= instance.ConfigVersion)
            {
                // The same version, or a newer one than the caller read a moment ago: the newest config is the one to use.
                entry.Use(_time.GetUtcNow());
                return entry;
            }

            var fresh = create();
            if (_entries.TryUpdate(k, fresh, entry))
            {
                Retire(entry);
                fresh.Use(_time.GetUtcNow());
                return fresh;
            }
        }
    }

    private void Forget(PluginInstance instance, Type type, string key, Entry entry) =>
        _entries.TryRemove(new KeyValuePair<(string, Type, string), Entry>((Normal(instance.Id), type, Scoped(instance, type, key)), entry));

    /// <summary>
    /// The key of an object of an instance that acts as each caller: the caller's subject is part of it, so clients,
    /// credentials and connections built for one person are never handed to another. Typed settings are the same for all.
    /// </summary>
    private static string Scoped(PluginInstance instance, Type type, string key)
    {
        if (!instance.ActsAsCaller || type == typeof(SettingsBox))
        {
            return key;
        }

        var subject = CallerKey.Current.Subject ?? throw new ToolException(
            $"Instance '{instance.Id}' acts in AWS as each signed-in caller ({PluginInstance.CallerRoleKey}), and this call has no signed-in caller " +
            "(stdio, an API token, or no sign-in). Call it over HTTP with sign-in (--auth-issuer), or use an instance without caller_role_arn.");
        return $"{key}{CallerMark}{subject}";
    }

    /// <summary>Retires every per-caller object unused for <see cref="CallerIdleLifetime"/> (the sweep timer's work).</summary>
    private void RetireIdleCallerObjects()
    {
        var unusedSince = _time.GetUtcNow() - CallerIdleLifetime;
        var retired = 0;
        foreach (var (key, entry) in _entries)
        {
            if (key.Key.Contains(CallerMark, StringComparison.Ordinal) && entry.LastUsed <= unusedSince
                && _entries.TryRemove(new KeyValuePair<(string, Type, string), Entry>(key, entry)))
            {
                Retire(entry);
                retired++;
            }
        }

        if (retired > 0)
        {
            LogIdleRetired(_logger, retired, CallerIdleLifetime.TotalMinutes);
        }
    }

    private void OnChanged(object? sender, RegistryChange change)
    {
        foreach (var (instance, removed) in change.Outdated())
        {
            var evicted = 0;
            foreach (var key in _entries.Keys.Where(k => k.Instance == Normal(instance.Id)))
            {
                if (_entries.TryRemove(key, out var entry))
                {
                    Retire(entry);
                    evicted++;
                }
            }

            if (evicted > 0)
            {
                LogEvicted(_logger, evicted, instance.Id, removed ? "removed" : "reconfigured");
            }
        }
    }

    private void Retire(Entry entry)
    {
        if (_disposed)
        {
            DisposeValue(entry);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            if (timer is not null && _retired.TryRemove(timer, out var retired))
            {
                timer.Dispose();
                DisposeValue(retired);
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _retired[timer] = entry;
        timer.Change(RetiredLifetime, Timeout.InfiniteTimeSpan);
    }

    private void DisposeValue(Entry entry)
    {
        var value = entry.Created();
        try
        {
            switch (value)
            {
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
                case IAsyncDisposable asyncDisposable:
                    asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogDisposeFailed(_logger, e, value?.GetType().Name ?? "object");
        }
    }

    private static object? SafeValue(Lazy<object> lazy)
    {
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string Normal(string id) => id.ToLowerInvariant();

    /// <param name="version">The config version it was made for.</param>
    /// <param name="holder">The lazy that makes it.</param>
    /// <param name="created">What it made, when that succeeded (null otherwise): what to dispose.</param>
    private sealed class Entry(int version, object holder, Func<object?> created)
    {
        private long _lastUsedTicks;

        public int Version => version;

        public object Holder => holder;

        public Func<object?> Created => created;

        /// <summary>When a call last took it.</summary>
        public DateTimeOffset LastUsed => new(Volatile.Read(ref _lastUsedTicks), TimeSpan.Zero);

        public void Use(DateTimeOffset now) => Volatile.Write(ref _lastUsedTicks, now.UtcTicks);
    }

    private sealed record SettingsBox(object Value);

    [LoggerMessage(LogLevel.Debug, "Evicted {Count} cached object(s) of instance {Instance} ({Why})")]
    private static partial void LogEvicted(ILogger logger, int count, string instance, string why);

    [LoggerMessage(LogLevel.Debug, "Retired {Count} per-caller object(s) unused for {Minutes} minutes")]
    private static partial void LogIdleRetired(ILogger logger, int count, double minutes);

    [LoggerMessage(LogLevel.Warning, "Disposing a retired {Type} failed")]
    private static partial void LogDisposeFailed(ILogger logger, Exception exception, string type);
}
