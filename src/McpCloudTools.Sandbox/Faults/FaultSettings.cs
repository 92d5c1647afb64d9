namespace McpCloudTools.Sandbox;

/// <summary>
/// How one service misbehaves. Rates are drawn from a seeded random source; the <c>Next</c> counters fail exactly
/// the next N calls, for tests that must not depend on chance.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Share of calls answered with the service's throttling error (0–1).</summary>
    public double ThrottleRate { get; init; }

    /// <summary>Share of calls answered with a 5xx error (0–1).</summary>
    public double ErrorRate { get; init; }

    /// <summary>Delay added before every answer.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Throttle exactly the next N calls.</summary>
    public int ThrottleNext { get; init; }

    /// <summary>Fail the next N calls with a 5xx.</summary>
    public int ErrorNext { get; init; }

    /// <summary>When set, throttling answers carry <c>Retry-After</c> with this many seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>No faults.</summary>
    public static FaultSettings None { get; } = new();
}

/// <summary>What the frame does to one request before the service sees it.</summary>
/// <param name="Latency">Delay to add.</param>
/// <param name="Throttle">Answer with the throttling error.</param>
/// <param name="ServerError">Answer with a 5xx.</param>
/// <param name="RetryAfterSeconds"><c>Retry-After</c> for a throttling answer.</param>
public readonly record struct FaultDecision(TimeSpan Latency, bool Throttle, bool ServerError, int? RetryAfterSeconds);
