namespace McpCloudTools.Aws;

/// <summary>What kind of failure an AWS error is, so tools and the retry policy can react without parsing codes.</summary>
public enum AwsErrorKind
{
    /// <summary>The identity lacks a permission (IAM, SCP, resource policy).</summary>
    AccessDenied,

    /// <summary>The named resource does not exist in that region and account.</summary>
    NotFound,

    /// <summary>The request itself is wrong: a bad parameter, a missing member, a malformed id.</summary>
    Validation,

    /// <summary>The request conflicts with the resource's current state (in use, being updated, stale revision).</summary>
    Conflict,

    /// <summary>The service throttled the caller (429 or a throttling code).</summary>
    Throttled,

    /// <summary>The service or the network failed (5xx, timeout, connection refused).</summary>
    Unavailable,

    /// <summary>The credentials were refused: unknown key, bad signature, expired token, clock skew.</summary>
    Auth,

    /// <summary>Anything else.</summary>
    Other,
}
