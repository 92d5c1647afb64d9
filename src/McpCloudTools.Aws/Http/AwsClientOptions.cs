namespace McpCloudTools.Aws;

/// <summary>
/// One retry and timeout policy for every AWS call, our own clients and the official SDK clients alike.
/// The defaults keep a throttled tool call under about ten seconds.
/// </summary>
public sealed record AwsClientOptions
{
    /// <summary>Attempts per call including the first (the AWS SDKs' standard mode uses 3).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Base of the exponential backoff: attempt n waits a random time in [0, min(MaxDelay, BaseDelay·2ⁿ)].</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of one backoff delay; a <c>Retry-After</c> longer than this ends the retries instead of waiting.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one HTTP attempt (connect, send, and read the whole response).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed for the jitter; null uses a shared random source. Tests set it for repeatable delays.</summary>
    public int? JitterSeed { get; init; }

    /// <summary>The defaults.</summary>
    public static AwsClientOptions Default { get; } = new();

    /// <summary>Checks the values make sense, so a misconfiguration fails at startup rather than mid-call.</summary>
    public AwsClientOptions Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "must be at least 1");
        if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "must be at least BaseDelay, both non-negative");
        if (AttemptTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "must be positive");
        return this;
    }
}
