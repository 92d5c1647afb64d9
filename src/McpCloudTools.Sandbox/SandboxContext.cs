using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>What every sandbox service shares: options, the clock, the keys, the log store, logging, and seeded randomness.</summary>
public sealed class SandboxContext
{
    internal SandboxContext(SandboxOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Clock = new SandboxClock(options.ClockSpeed);
        Credentials = new SandboxCredentialStore(options);
        Logs = new SandboxLogStore(options.Region, options.AccountId);
    }

    /// <summary>Every request received, as sent, with ambiguous targets flagged (for tests).</summary>
    public SandboxRequestLog Requests { get; } = new();

    /// <summary>The sandbox's options.</summary>
    public SandboxOptions Options { get; }

    /// <summary>Account id for ARNs.</summary>
    public string AccountId => Options.AccountId;

    /// <summary>Home region for ARNs.</summary>
    public string Region => Options.Region;

    /// <summary>Sandbox time for state transitions.</summary>
    public SandboxClock Clock { get; }

    /// <summary>Accepted keys (and STS-issued sessions).</summary>
    public SandboxCredentialStore Credentials { get; }

    /// <summary>CloudWatch Logs data: services write their logs here (Lambda <c>/aws/lambda/…</c>, Batch <c>/aws/batch/job</c>).</summary>
    public SandboxLogStore Logs { get; }

    /// <summary>Logging for services.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>A random source derived from the scenario seed and <paramref name="salt"/>, so each service is deterministic on its own.</summary>
    public Random CreateRandom(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        var hash = Options.Scenario.Seed;
        foreach (var c in salt) hash = unchecked(hash * 31 + c);
        return new Random(hash);
    }
}
