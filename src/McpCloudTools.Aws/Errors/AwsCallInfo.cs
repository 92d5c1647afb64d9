namespace McpCloudTools.Aws;

/// <summary>
/// What a failing call was about, for the error message: which service and operation, on which resource, where,
/// as whom, and what to try instead. Clients fill it; the mapper words the message.
/// </summary>
/// <param name="Service">The service called.</param>
/// <param name="Operation">Operation name as in the model, e.g. <c>DescribeCluster</c>.</param>
/// <param name="Region">Region system name the call went to.</param>
/// <param name="Identity">Who called: an ARN when known, else how the credentials were configured.</param>
/// <param name="Resource">The target, e.g. <c>cluster 'prod'</c>; null when the call has none.</param>
/// <param name="Hint">What to try when the resource is not found, e.g. <c>call eks_cluster_list</c>.</param>
/// <param name="Profile">Profile behind the credentials, for <c>aws sso login --profile</c> advice.</param>
/// <param name="Account">Account id when known.</param>
public sealed record AwsCallInfo(
    AwsService Service,
    string Operation,
    string Region,
    string Identity,
    string? Resource = null,
    string? Hint = null,
    string? Profile = null,
    string? Account = null)
{
    /// <summary>How many attempts were made and over how long (filled by the retry handler).</summary>
    public AwsRetrySummary? Retries { get; init; }
}

/// <summary>How a call's retries went: attempts made and the time they took.</summary>
/// <param name="Attempts">Attempts made, the first included.</param>
/// <param name="Elapsed">Time from the first attempt to the end of the last one, delays included.</param>
/// <param name="GaveUpBecause">Why retrying stopped before the budget ran out, if it did.</param>
public sealed record AwsRetrySummary(int Attempts, TimeSpan Elapsed, string? GaveUpBecause = null);
