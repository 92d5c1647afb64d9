using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.State;

/// <summary>
/// Where the registry's state is kept: one document with a version. Every save names the version it was computed
/// from, and a store that holds a newer one refuses it (<see cref="SaveOutcome.Conflict"/>): the state owner then
/// reloads and computes the change again. Only <see cref="RegistryStateOwner"/> talks to a store.
/// </summary>
public interface IStateStore
{
    /// <summary>Where the state lives, for messages.</summary>
    string Location { get; }

    /// <summary>The saved state and its version, or null when there is none yet. Throws <see cref="StateFileException"/> when unusable.</summary>
    ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="state"/> atomically if the stored version is still <paramref name="expectedVersion"/>
    /// (0: nothing stored yet); otherwise stores nothing and reports the conflict. An I/O failure throws.
    /// </summary>
    ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken);
}

/// <summary>
/// A store shared with other servers (replicas) that can tell when one of them changed the state, so that this
/// server reloads it and its clients hear about it. Optional: a store that cannot tell does not implement it.
/// </summary>
public interface IStateChangeFeed
{
    /// <summary>Raised, on any thread, after a save; the argument is the version now stored.</summary>
    event EventHandler<long>? ChangedElsewhere;
}

/// <summary>
/// A shared store whose current version can be read cheaply. A change that a replica refuses, or finds already done,
/// on its own copy may only be stale (another replica's change not yet received): the state owner asks for the
/// stored version and, when it is newer, computes the change again on the fresh state.
/// </summary>
public interface IStateVersionProbe
{
    /// <summary>The version stored now (0: nothing stored). Throws <see cref="StateUnavailableException"/> when out of reach.</summary>
    ValueTask<long> StoredVersionAsync(CancellationToken cancellationToken);
}

/// <summary>A loaded state and the version it has in the store.</summary>
public sealed record StoredState(RegistryState State, long Version);

/// <summary>What a conditional save did: saved as <see cref="Version"/>, or refused because the store holds another version.</summary>
/// <param name="Saved">Whether the state was stored.</param>
/// <param name="Version">The version now stored (the new one when saved).</param>
public readonly record struct SaveOutcome(bool Saved, long Version)
{
    /// <summary>Stored as <paramref name="version"/>.</summary>
    public static SaveOutcome Success(long version) => new(true, version);

    /// <summary>Refused: the store holds <paramref name="current"/>, not the expected version.</summary>
    public static SaveOutcome Conflict(long current) => new(false, current);
}

/// <summary>The state file cannot be used; the message says why and what to do. The file is left untouched.</summary>
public sealed class StateFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Keeps state in memory only (tests, <c>--state none</c>). Several servers built on one instance share it as
/// replicas share a database: each save is announced to the others through <see cref="ChangedElsewhere"/>.
/// </summary>
public sealed class InMemoryStateStore : IStateStore, IStateChangeFeed, IStateVersionProbe
{
    private readonly Lock _gate = new();
    private StoredState? _stored;

    /// <inheritdoc />
    public string Location => "memory";

    /// <summary>How many times state was saved.</summary>
    public int SaveCount { get; private set; }

    /// <inheritdoc />
    public event EventHandler<long>? ChangedElsewhere;

    /// <inheritdoc />
    public ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> StoredVersionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_stored?.Version ?? 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        long version;
        lock (_gate)
        {
            var current = _stored?.Version ?? 0;
            if (current != expectedVersion)
            {
                return ValueTask.FromResult(SaveOutcome.Conflict(current));
            }

            version = current + 1;
            _stored = new StoredState(state, version);
            SaveCount++;
        }

        ChangedElsewhere?.Invoke(this, version);
        return ValueTask.FromResult(SaveOutcome.Success(version));
    }
}

/// <summary>
/// A store that can be out of reach (a database) reports whether it is reachable now, for <c>/healthz</c>,
/// <c>/readyz</c> and the log. A store that is always reachable (a file, memory) does not implement it.
/// </summary>
public interface IStateStoreHealth
{
    /// <summary>Null while reachable; otherwise why not (safe to show: no password), since when.</summary>
    StoreProblem? Problem { get; }
}

/// <summary>Why a store is out of reach, and since when.</summary>
/// <param name="Reason">What failed, without secrets.</param>
/// <param name="Since">When it started.</param>
public sealed record StoreProblem(string Reason, DateTimeOffset Since);
