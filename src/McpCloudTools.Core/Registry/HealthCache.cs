using System.Collections.Concurrent;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// The last health report of each instance (runtime only, never stored): recorded by the health checks, shown by
/// <c>plugins_list</c> and the REST API, forgotten when the instance is removed or its config changes.
/// </summary>
public sealed class HealthCache : IDisposable
{
    private readonly ConcurrentDictionary<string, HealthReport> _reports = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegistryStateOwner _state;

    /// <summary>Creates the cache and subscribes it to the state's changes.</summary>
    public HealthCache(RegistryStateOwner state)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _state.Changed += OnChanged;
    }

    /// <summary>The last health report of an instance, or null when it was never checked (under its current config).</summary>
    public HealthReport? Last(string instanceId) => _reports.TryGetValue(instanceId, out var report) ? report : null;

    /// <summary>Records an instance's health.</summary>
    public void Record(string instanceId, HealthReport report) => _reports[instanceId] = report;

    /// <inheritdoc />
    public void Dispose() => _state.Changed -= OnChanged;

    private void OnChanged(object? sender, RegistryChange change)
    {
        foreach (var (instance, _) in change.Outdated())
        {
            _reports.TryRemove(instance.Id, out _);
        }
    }
}
