namespace McpCloudTools.Sandbox;

/// <summary>Body of <c>POST /_sandbox/faults</c>: the faults of one service (replacing its previous ones).</summary>
public sealed class FaultRequest
{
    /// <summary>Signing name, e.g. <c>logs</c>.</summary>
    public string? Service { get; set; }

    /// <summary>Share of calls throttled (0–1).</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Share of calls failing with a 5xx (0–1).</summary>
    public double ErrorRate { get; set; }

    /// <summary>Added latency in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Throttle exactly the next N calls.</summary>
    public int ThrottleNext { get; set; }

    /// <summary>Fail exactly the next N calls with a 5xx.</summary>
    public int ErrorNext { get; set; }

    /// <summary><c>Retry-After</c> seconds on throttling answers.</summary>
    public int? RetryAfterSeconds { get; set; }
}

/// <summary>Body of <c>POST /_sandbox/clock</c>.</summary>
public sealed class ClockRequest
{
    /// <summary>Sandbox seconds to jump forward.</summary>
    public double AdvanceSeconds { get; set; }

    /// <summary>New speed (sandbox seconds per real second), if set.</summary>
    public double? Speed { get; set; }
}

/// <summary>Answer of <c>GET /_sandbox/state</c>: a summary, not the full state.</summary>
public sealed class SandboxStateView
{
    /// <summary>Sandbox time (ISO 8601).</summary>
    public string Clock { get; set; } = "";

    /// <summary>Clock speed.</summary>
    public double Speed { get; set; }

    /// <summary>Account id.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>The default region.</summary>
    public string Region { get; set; } = "";

    /// <summary>Scenario name.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>Counts per service of the default region.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, long>> Services { get; set; } = [];

    /// <summary>Counts per service of every served region, by region.</summary>
    public Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, long>>> Regions { get; set; } = [];

    /// <summary>Active faults per service.</summary>
    public Dictionary<string, FaultRequest> Faults { get; set; } = [];
}
