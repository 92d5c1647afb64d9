namespace McpCloudTools.Sandbox;

/// <summary>The valid ranges of the control endpoint's values, in one place; a value outside is refused saying the range.</summary>
internal static class FaultLimits
{
    /// <summary>Largest added latency: a minute.</summary>
    public const int MaxLatencyMs = 60_000;

    /// <summary>Largest "next N" count.</summary>
    public const int MaxNext = 1_000_000;

    /// <summary>Largest Retry-After.</summary>
    public const int MaxRetryAfterSeconds = 3600;

    /// <summary>Largest clock jump: ten years.</summary>
    public const double MaxAdvanceSeconds = 10 * 365.25 * 24 * 3600;

    /// <summary>Fastest clock: a day per real second.</summary>
    public const double MaxSpeed = 86_400;

    public static FaultSettings Validate(FaultRequest f)
    {
        Range(f.ThrottleRate, 0, 1, "throttleRate", "a share of calls");
        Range(f.ErrorRate, 0, 1, "errorRate", "a share of calls");
        Range(f.LatencyMs, 0, MaxLatencyMs, "latencyMs", "milliseconds");
        Range(f.ThrottleNext, 0, MaxNext, "throttleNext", "calls");
        Range(f.ErrorNext, 0, MaxNext, "errorNext", "calls");
        if (f.RetryAfterSeconds is { } retry) Range(retry, 0, MaxRetryAfterSeconds, "retryAfterSeconds", "seconds");
        return new FaultSettings
        {
            ThrottleRate = f.ThrottleRate, ErrorRate = f.ErrorRate, Latency = TimeSpan.FromMilliseconds(f.LatencyMs),
            ThrottleNext = f.ThrottleNext, ErrorNext = f.ErrorNext, RetryAfterSeconds = f.RetryAfterSeconds,
        };
    }

    public static (TimeSpan Advance, double? Speed) Validate(ClockRequest c)
    {
        Range(c.AdvanceSeconds, 0, MaxAdvanceSeconds, "advanceSeconds", "sandbox seconds to jump forward (time never goes back)");
        if (c.Speed is { } speed) Range(speed, 0, MaxSpeed, "speed", "sandbox seconds per real second; 0 freezes time");
        return (TimeSpan.FromSeconds(c.AdvanceSeconds), c.Speed);
    }

    private static void Range(double value, double min, double max, string name, string unit)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentException(FormattableString.Invariant($"'{name}' is {value}; use {min} to {max} ({unit})."));
        }
    }
}
