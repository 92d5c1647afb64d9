using McpCloudTools.Sandbox.Services.Eks.Kube;

namespace McpCloudTools.Sandbox.Services.Eks;

/// <summary>One emulated EKS cluster: its control-plane facts, node groups, add-ons, updates and its Kubernetes API.</summary>
public sealed class SandboxEksCluster
{
    /// <summary>Cluster name.</summary>
    public required string Name { get; init; }

    /// <summary>Kubernetes minor version (<c>1.31</c>).</summary>
    public required string Version { get; init; }

    /// <summary>EKS platform version (<c>eks.12</c>).</summary>
    public required string PlatformVersion { get; init; }

    /// <summary>ACTIVE, UPDATING, …</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>Creation time (sandbox clock).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Public endpoint on.</summary>
    public bool PublicAccess { get; init; } = true;

    /// <summary>Private endpoint on.</summary>
    public bool PrivateAccess { get; init; }

    /// <summary>CIDRs allowed to reach the public endpoint.</summary>
    public IReadOnlyList<string> PublicAccessCidrs { get; init; } = ["0.0.0.0/0"];

    /// <summary>Control-plane log types enabled.</summary>
    public IReadOnlyList<string> EnabledLogTypes { get; init; } = [];

    /// <summary>API, API_AND_CONFIG_MAP or CONFIG_MAP.</summary>
    public string AuthenticationMode { get; init; } = "API_AND_CONFIG_MAP";

    /// <summary>Cluster health issues.</summary>
    public List<IssueWire> HealthIssues { get; } = [];

    /// <summary>Node groups by name.</summary>
    public SortedDictionary<string, SandboxNodegroup> Nodegroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Add-ons by name.</summary>
    public SortedDictionary<string, AddonWire> Addons { get; } = new(StringComparer.Ordinal);

    /// <summary>Updates by id.</summary>
    public Dictionary<string, SandboxUpdate> Updates { get; } = new(StringComparer.Ordinal);

    /// <summary>The cluster's Kubernetes API state.</summary>
    public required KubeCluster Kube { get; init; }

    /// <summary>Test hook: when set, DescribeCluster hands out this CA instead of the cluster's own.</summary>
    public string? CertificateOverride { get; set; }
}

/// <summary>A managed node group.</summary>
public sealed class SandboxNodegroup
{
    /// <summary>The wire view, kept current.</summary>
    public required NodegroupWire Wire { get; init; }
}

/// <summary>An update started by <c>UpdateNodegroupConfig</c>; it completes on the sandbox clock.</summary>
/// <param name="Id">Update id.</param>
/// <param name="Nodegroup">Node group it changes.</param>
/// <param name="ClientRequestToken">Idempotency token it was started with.</param>
/// <param name="CreatedAt">Start (sandbox clock).</param>
/// <param name="Params">What it changes.</param>
/// <param name="Apply">Applies the change when the update succeeds.</param>
public sealed record SandboxUpdate(string Id, string Nodegroup, string? ClientRequestToken, DateTimeOffset CreatedAt,
    List<UpdateParamWire> Params, Action Apply)
{
    /// <summary>How long an update stays InProgress (sandbox time).</summary>
    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(1.5);

    /// <summary>True once applied.</summary>
    public bool Applied { get; set; }
}
