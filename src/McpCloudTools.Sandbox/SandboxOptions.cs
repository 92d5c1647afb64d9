namespace McpCloudTools.Sandbox;

/// <summary>How to run the emulated AWS account: where it listens, its identity, what it holds, and how it misbehaves.</summary>
public sealed record SandboxOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Access key of the sandbox user (LocalStack users expect <c>test</c>).</summary>
    public string AccessKey { get; init; } = "test";

    /// <summary>Secret key of the sandbox user.</summary>
    public string SecretKey { get; init; } = "test";

    /// <summary>The account's home region (ARNs and default endpoints use it).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account id in every ARN.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>The user the Slurm REST API accepts (<c>X-SLURM-USER-NAME</c>).</summary>
    public string SlurmUser { get; init; } = "sandbox";

    /// <summary>The token the Slurm REST API accepts (<c>X-SLURM-USER-TOKEN</c>); a JWT-shaped constant, not a secret.</summary>
    public string SlurmToken { get; init; } = "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJzYW5kYm94In0.sandbox";

    /// <summary>What the account holds at start.</summary>
    public SandboxScenario Scenario { get; init; } = SandboxScenario.Default;

    /// <summary>Faults per service signing name (e.g. <c>logs</c>), active from the first request.</summary>
    public IReadOnlyDictionary<string, FaultSettings> Faults { get; init; } = new Dictionary<string, FaultSettings>();

    /// <summary>Sandbox seconds per real second (state transitions run this much faster).</summary>
    public double ClockSpeed { get; init; } = 1;

    /// <summary>Accepted difference between a request's signing time and the real clock.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);
}
