namespace McpCloudTools.Sandbox;

/// <summary>
/// One emulated AWS service on the shared port. The frame routes to it by SigV4 signing name, verifies the
/// signature, applies faults, and writes throttling, 5xx and auth errors in its protocol's shape; the service
/// handles the operations and owns its state.
/// </summary>
public interface ISandboxService
{
    /// <summary>SigV4 signing name in the credential scope, e.g. <c>logs</c>, <c>ec2</c>.</summary>
    string SigningName { get; }

    /// <summary>The protocol it speaks.</summary>
    SandboxProtocol Protocol { get; }

    /// <summary>XML namespace of Query answers and errors (Query protocol only).</summary>
    string? XmlNamespace => null;

    /// <summary>The error for a throttled call; defaults follow what each protocol's services send.</summary>
    SandboxApiException ThrottlingError => Protocol switch
    {
        SandboxProtocol.Query => new(400, "Throttling", "Rate exceeded"),
        SandboxProtocol.Ec2Query => new(503, "RequestLimitExceeded", "Request limit exceeded."),
        SandboxProtocol.Json11 => new(400, "ThrottlingException", "Rate exceeded"),
        _ => new(429, "TooManyRequestsException", "Too Many Requests"),
    };

    /// <summary>The error for an injected server fault.</summary>
    SandboxApiException ServerError => Protocol switch
    {
        SandboxProtocol.Query => new(500, "InternalFailure", "An internal error occurred."),
        SandboxProtocol.Ec2Query => new(500, "InternalError", "An internal error has occurred."),
        SandboxProtocol.Json11 => new(503, "ServiceUnavailableException", "The service is unavailable."),
        _ => new(500, "ServiceException", "An internal error occurred."),
    };

    /// <summary>Fills the service's state for a scenario (called once, before the port opens).</summary>
    void Seed(SandboxScenario scenario);

    /// <summary>True when an unsigned request belongs to this service (e.g. STS <c>AssumeRoleWithWebIdentity</c>).</summary>
    bool ClaimsUnsigned(SandboxRequest request) => false;

    /// <summary>Handles one verified request; throw <see cref="SandboxApiException"/> for AWS errors.</summary>
    Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken);

    /// <summary>Counts for <c>GET /_sandbox/state</c> (e.g. <c>groups</c>, <c>events</c>).</summary>
    IReadOnlyDictionary<string, long> Summary();
}
