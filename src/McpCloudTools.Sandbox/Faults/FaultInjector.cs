namespace McpCloudTools.Sandbox;

/// <summary>
/// Per-service fault state, changeable at run time (tests, the control endpoint). Deterministic: random draws come
/// from one seeded source and the "next N" counters are exact.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FaultState> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly Random _random;

    /// <summary>Creates the injector with initial settings and a seed.</summary>
    public FaultInjector(IReadOnlyDictionary<string, FaultSettings> initial, int seed)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _random = new Random(seed);
        foreach (var (service, settings) in initial) Set(service, settings);
    }

    /// <summary>Replaces the faults of <paramref name="service"/> (signing name, e.g. <c>logs</c>).</summary>
    public void Set(string service, FaultSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.ThrottleRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.ThrottleRate, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.ErrorRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.ErrorRate, 1);
        lock (_gate) _services[service] = new FaultState(settings);
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_gate) _services.Clear();
    }

    /// <summary>The settings of every service with faults, with the remaining "next N" counts.</summary>
    public IReadOnlyDictionary<string, FaultSettings> Snapshot()
    {
        lock (_gate)
        {
            return _services.ToDictionary(p => p.Key,
                p => p.Value.Settings with { ThrottleNext = p.Value.ThrottleNext, ErrorNext = p.Value.ErrorNext },
                StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Decides the fate of one request to <paramref name="service"/>.</summary>
    public FaultDecision Decide(string service)
    {
        lock (_gate)
        {
            if (!_services.TryGetValue(service, out var state)) return default;
            var s = state.Settings;
            var throttle = false;
            var error = false;
            if (state.ThrottleNext > 0)
            {
                state.ThrottleNext--;
                throttle = true;
            }
            else if (state.ErrorNext > 0)
            {
                state.ErrorNext--;
                error = true;
            }
            else
            {
                throttle = s.ThrottleRate > 0 && _random.NextDouble() < s.ThrottleRate;
                error = !throttle && s.ErrorRate > 0 && _random.NextDouble() < s.ErrorRate;
            }
            return new FaultDecision(s.Latency, throttle, error, s.RetryAfterSeconds);
        }
    }

    private sealed class FaultState(FaultSettings settings)
    {
        public FaultSettings Settings { get; } = settings;
        public int ThrottleNext { get; set; } = settings.ThrottleNext;
        public int ErrorNext { get; set; } = settings.ErrorNext;
    }
}
