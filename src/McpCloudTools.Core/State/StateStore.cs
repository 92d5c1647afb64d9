using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.State;

/// <summary>Loads and saves the registry's state.</summary>
public interface IStateStore
{
    /// <summary>Where the state lives, for messages.</summary>
    string Location { get; }

    /// <summary>The saved state, or null when there is none yet. Throws <see cref="StateFileException"/> when unreadable.</summary>
    RegistryState? Load();

    /// <summary>Saves the state atomically.</summary>
    void Save(RegistryState state);
}

/// <summary>The state file cannot be used; the message says why and what to do. The file is left untouched.</summary>
public sealed class StateFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Keeps state in memory only (tests, <c>--state none</c>).</summary>
public sealed class InMemoryStateStore : IStateStore
{
    private RegistryState? _state;

    /// <inheritdoc />
    public string Location => "memory";

    /// <summary>How many times state was saved.</summary>
    public int SaveCount { get; private set; }

    /// <inheritdoc />
    public RegistryState? Load() => _state;

    /// <inheritdoc />
    public void Save(RegistryState state)
    {
        _state = state;
        SaveCount++;
    }
}
