using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.State;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Registry;

/// <summary>One change of the registry's state: the snapshot before and the one after.</summary>
/// <param name="Before">The state before.</param>
/// <param name="After">The state after (now current).</param>
public sealed record RegistryChange(RegistryState Before, RegistryState After)
{
    /// <summary>
    /// The instances this change removed or reconfigured (a new config version), with whether each was removed: what was
    /// derived from their old config (clients, health) no longer holds.
    /// </summary>
    public IEnumerable<(PluginInstance Instance, bool Removed)> Outdated() =>
        Before.Instances.Select(b => (Instance: b, After: After.FindInstance(b.Id)))
            .Where(x => x.After is null || x.After.ConfigVersion != x.Instance.ConfigVersion)
            .Select(x => (x.Instance, x.After is null));
}

/// <summary>
/// The one owner of the registry's state and the only piece that talks to the <see cref="IStateStore"/>: it holds
/// the current immutable snapshot, applies each change as "read current → compute → save with the expected version →
/// on a conflict reload and compute again" (so a change is a pure function of the current state), and then publishes
/// it through <see cref="Changed"/>. A change made by another server sharing the store (<see cref="IStateChangeFeed"/>)
/// is reloaded and published the same way. A state is visible only once it is stored. The instances and clusters the
/// configuration declares (<see cref="RegistryDeclarations"/>) are applied on top of every stored state and taken out of
/// every state stored, so the store never knows about them.
/// </summary>
public sealed partial class RegistryStateOwner(IStateStore store, RegistryDeclarations declarations, ILogger<RegistryStateOwner> logger) : IDisposable
{
    /// <summary>How many times one change is computed again after conflicting with another server's.</summary>
    public const int MaxAttempts = 5;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile StoredState _current = new(RegistryState.Empty, 0);
    private RegistryState _stored = RegistryState.Empty;
    private bool _loaded;
    private bool _subscribed;

    /// <summary>
    /// Raised after every change, in order, while no other change can start: handlers keep derived views in line
    /// (advertised tools, caches) and must be quick and must not change the state themselves.
    /// </summary>
    public event EventHandler<RegistryChange>? Changed;

    /// <summary>The current snapshot.</summary>
    public RegistryState Current => _current.State;

    /// <summary>The version of <see cref="Current"/> in the store.</summary>
    public long Version => _current.Version;

    /// <summary>Where the state is kept, for messages.</summary>
    public string Location => store.Location;

    /// <summary>
    /// Loads the stored state and applies <paramref name="prepare"/> (first-start defaults), storing the result when it
    /// differs. Throws <see cref="StateFileException"/> when the store cannot be used.
    /// </summary>
    public async Task LoadAsync(Func<RegistryState, RegistryState> prepare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var stored = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var merged = declarations.Overlay(stored.State);
                var prepared = prepare(merged);
                if (!ReferenceEquals(prepared, merged) || stored.Version == 0)
                {
                    var toStore = declarations.Strip(prepared, stored.State);
                    SaveOutcome outcome;
                    try
                    {
                        outcome = await store.SaveAsync(toStore, stored.Version, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new StateFileException($"The state file {store.Location} could not be written ({e.Message.TrimEnd('.')}). " +
                            "Fix the folder's permissions or free space, or start with --state <other path> (or --state none).", e);
                    }

                    if (!outcome.Saved && attempt < MaxAttempts)
                    {
                        continue;
                    }

                    stored = outcome.Saved ? new StoredState(toStore, outcome.Version) : await ReadAsync(cancellationToken).ConfigureAwait(false);
                }

                Publish(stored);
                _loaded = true;
                break;
            }
        }
        finally
        {
            _gate.Release();
        }

        if (!_subscribed && store is IStateChangeFeed feed)
        {
            _subscribed = true;
            feed.ChangedElsewhere += OnChangedElsewhere;
        }
    }

    /// <summary>Applies a change that returns no result; see <see cref="ApplyAsync{T}"/>.</summary>
    public Task ApplyAsync(Func<RegistryState, RegistryState> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ApplyAsync(state => (change(state), true), cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current state and stores the result. The change may run more than once
    /// (after a conflict, on the state another server stored), so it must depend on its argument only; it refuses by
    /// throwing (a <see cref="RegistryException"/>), which leaves everything as it was. Returning the same snapshot
    /// stores nothing. Throws <see cref="StateNotSavedException"/> when the store fails.
    /// </summary>
    public async Task<T> ApplyAsync<T>(Func<RegistryState, (RegistryState Next, T Result)> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                throw new InvalidOperationException("The registry's state is not loaded.");
            }

            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var current = _current;
                RegistryState next;
                T result;
                try
                {
                    (next, result) = change(current.State);
                }
                catch (RegistryException) when (attempt < MaxAttempts && store is IStateVersionProbe)
                {
                    // Refused on this server's copy: fine if it is the stored state, else compute again on the stored one.
                    if (await RefreshIfStaleAsync(current, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    throw;
                }

                if (ReferenceEquals(next, current.State))
                {
                    // Nothing to do on this copy; on a stale one (another server undid it meanwhile) there may be.
                    if (attempt < MaxAttempts && await RefreshIfStaleAsync(current, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    return result;
                }

                var toStore = declarations.Strip(next, _stored);
                SaveOutcome outcome;
                try
                {
                    outcome = await store.SaveAsync(toStore, current.Version, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StateNotSavedException($"The change was not saved, so nothing changed: the state in {store.Location} could not be " +
                        $"written ({e.Message.TrimEnd('.')}). Free space or fix the permissions there, then retry.", e);
                }

                if (outcome.Saved)
                {
                    Publish(new StoredState(toStore, outcome.Version), next);
                    return result;
                }

                // Another server changed the state first: take its state and compute the change again on it.
                LogConflict(logger, current.Version, outcome.Version, attempt);
                Publish(await ReadAsync(cancellationToken).ConfigureAwait(false));
            }

            throw new RegistryException(RegistryErrorKind.Conflict,
                $"The change was not saved: the state kept being changed by other servers sharing {store.Location} ({MaxAttempts} attempts). Retry.");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// With a shared store, whether <paramref name="current"/> is older than the stored version, in which case the
    /// stored state is read and published (the caller holds the gate). An unreachable store counts as not stale: the
    /// server answers from its last state.
    /// </summary>
    private async Task<bool> RefreshIfStaleAsync(StoredState current, CancellationToken cancellationToken)
    {
        if (store is not IStateVersionProbe probe)
        {
            return false;
        }

        try
        {
            if (await probe.StoredVersionAsync(cancellationToken).ConfigureAwait(false) == current.Version)
            {
                return false;
            }
        }
        catch (StateUnavailableException)
        {
            return false;
        }

        var stored = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (stored.Version == current.Version)
        {
            return false;
        }

        Publish(stored);
        return true;
    }

    /// <summary>
    /// The current state, first brought up to the stored version when a shared store holds a newer one: for a check
    /// made before a change (which then runs on the state it was checked against, or a newer one).
    /// </summary>
    public async Task<RegistryState> FreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshIfStaleAsync(_current, cancellationToken).ConfigureAwait(false);
            return _current.State;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the stored state again and publishes it when it is newer (another server changed it).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (stored.Version > _current.Version)
            {
                Publish(stored);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_subscribed && store is IStateChangeFeed feed)
        {
            feed.ChangedElsewhere -= OnChangedElsewhere;
        }

        _gate.Dispose();
    }

    private async Task<StoredState> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.LoadAsync(cancellationToken).ConfigureAwait(false) ?? new StoredState(RegistryState.Empty, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"The state file {store.Location} could not be used ({e.Message.TrimEnd('.')}). " +
                "Fix the folder's permissions or free space, or start with --state <other path> (or --state none).", e);
        }
    }

    /// <summary>Makes <paramref name="stored"/> current, with the declarations on top (<paramref name="merged"/> when already computed).</summary>
    private void Publish(StoredState stored, RegistryState? merged = null)
    {
        var before = _current.State;
        var changed = !ReferenceEquals(_stored, stored.State);
        _stored = stored.State;
        var next = new StoredState(changed || merged is not null ? merged ?? declarations.Overlay(stored.State) : before, stored.Version);
        _current = next;
        if (!ReferenceEquals(before, next.State))
        {
            Changed?.Invoke(this, new RegistryChange(before, next.State));
        }
    }

    private void OnChangedElsewhere(object? sender, long version)
    {
        if (version <= _current.Version)
        {
            return;
        }

        // Not on the saver's thread: it may hold its own server's gate.
        _ = Task.Run(async () =>
        {
            try
            {
                await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogReloadFailed(logger, e, store.Location);
            }
        });
    }

    [LoggerMessage(LogLevel.Information, "State version {Expected} was replaced by {Found} in the store (another server's change); computing attempt {Attempt} again")]
    private static partial void LogConflict(ILogger logger, long expected, long found, int attempt);

    [LoggerMessage(LogLevel.Error, "Reloading the state from {Location} after another server's change failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string location);
}
