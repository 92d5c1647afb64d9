namespace McpCloudTools.Aws;

/// <summary>
/// Declares one API operation for the pipeline: its name (for errors and logs) and whether repeating it is safe,
/// which decides whether it is retried after an ambiguous failure.
/// </summary>
/// <param name="Name">Operation name as in the service model, e.g. <c>ListFunctions</c>.</param>
/// <param name="Idempotent">
/// False for calls that must not run twice (<c>SubmitJob</c>, <c>Invoke</c>, updates without a client token):
/// those are retried only when the server clearly refused them (throttling, connection refused).
/// </param>
public sealed record AwsOperation(string Name, bool Idempotent = true);

/// <summary>Keys under which the pipeline passes per-request facts between handlers and the client base.</summary>
public static class AwsRequestOptions
{
    /// <summary>The operation being called.</summary>
    public static readonly HttpRequestOptionsKey<AwsOperation> Operation = new("McpCloudTools.Aws.Operation");

    /// <summary>
    /// This request's attempt timeout, when it must wait longer than <see cref="AwsClientOptions.AttemptTimeout"/>
    /// (a synchronous Lambda <c>Invoke</c> waits for the function's own timeout).
    /// </summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeout = new("McpCloudTools.Aws.AttemptTimeout");

    /// <summary>Filled by the retry handler: attempts made and time spent.</summary>
    public static readonly HttpRequestOptionsKey<AwsRetryState> RetryState = new("McpCloudTools.Aws.RetryState");
}

/// <summary>Mutable record of one call's retries, written by the retry handler and read for the error message.</summary>
public sealed class AwsRetryState
{
    /// <summary>Attempts made so far, the first included.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Attempts the service answered with throttling.</summary>
    public int Throttles { get; internal set; }

    /// <summary>Time since the first attempt started.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Why retrying stopped early (e.g. a <c>Retry-After</c> beyond the maximum delay).</summary>
    public string? GaveUpBecause { get; internal set; }

    /// <summary>The summary used in error messages.</summary>
    public AwsRetrySummary ToSummary() => new(Attempts, Elapsed, GaveUpBecause);
}
