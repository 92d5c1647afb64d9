namespace McpCloudTools.Sandbox;

/// <summary>How to run the emulated AWS account: where it listens, its identity, what it holds, and how it misbehaves.</summary>
public sealed record SandboxOptions
{
    /// <summary>The standalone sandbox's port when <c>--port</c> is not given.</summary>
    public const int DefaultPort = 4566;

    /// <summary>How many ports after <see cref="Port"/> are kept for the clusters' Kubernetes APIs.</summary>
    public const int KubernetesPortsReserved = 8;

    /// <summary>The largest <see cref="Port"/>: the Kubernetes APIs' ports must fit below 65536.</summary>
    public const int MaxPort = 65535 - KubernetesPortsReserved;

    /// <summary>
    /// TCP port on 127.0.0.1; 0 picks a free one (and free ones for the Kubernetes APIs). A fixed port also fixes the
    /// Kubernetes APIs': cluster <c>n</c> (regions in <see cref="Regions"/> order, clusters by name) listens on
    /// <c>Port + n</c>, so a kubeconfig written once keeps working after a restart.
    /// </summary>
    public int Port { get; init; }

    /// <summary>
    /// Whether the Kubernetes APIs take the ports after a fixed <see cref="Port"/> (the default) or free ones (an
    /// embedded sandbox on a port picked at random, whose neighbours may be taken).
    /// </summary>
    public bool KubernetesOnNextPorts { get; init; } = true;

    /// <summary>The first Kubernetes API port minus one, or 0 when they take free ports.</summary>
    internal int KubernetesBasePort => KubernetesOnNextPorts ? Port : 0;

    /// <summary>
    /// The OpenID Connect issuer STS <c>AssumeRoleWithWebIdentity</c> trusts (as an IAM OIDC identity provider), or
    /// null to accept any web identity token unchecked (the sandbox's default).
    /// </summary>
    public string? WebIdentityIssuer { get; init; }

    /// <summary>The audiences (IAM's "client ids") a web identity token must carry one of; empty: any.</summary>
    public IReadOnlyList<string> WebIdentityAudiences { get; init; } = [];

    /// <summary>Access key of the sandbox user (LocalStack users expect <c>test</c>).</summary>
    public string AccessKey { get; init; } = "test";

    /// <summary>Secret key of the sandbox user.</summary>
    public string SecretKey { get; init; } = "test";

    /// <summary>
    /// The default region: it holds the full scenario, and unsigned calls (and the banner's <c>AWS_REGION</c>) use it.
    /// </summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The second region the sandbox serves, with a smaller account: eu-west-1, or us-east-1 when that is taken.</summary>
    public string SecondRegion => Region == "eu-west-1" ? "us-east-1" : "eu-west-1";

    /// <summary>
    /// The regions the sandbox serves, the default first. A call signed for any other region is refused as AWS refuses
    /// a credential scope its endpoint does not serve ("Credential should be scoped to a valid region").
    /// </summary>
    public IReadOnlyList<string> Regions => [Region, SecondRegion];

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
