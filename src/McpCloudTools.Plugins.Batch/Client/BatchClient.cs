using System.Text.Json.Serialization.Metadata;
using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Batch.Client;

/// <summary>
/// AWS Batch, shaped like AWSSDK's <c>IAmazonBatch</c> (no AWSSDK.Batch package is served): the operations the
/// tools need, one page per call.
/// </summary>
internal interface IBatchClient
{
    Task<DescribeComputeEnvironmentsResponse> DescribeComputeEnvironmentsAsync(DescribeComputeEnvironmentsRequest request, CancellationToken cancellationToken);

    Task<DescribeJobQueuesResponse> DescribeJobQueuesAsync(DescribeJobQueuesRequest request, CancellationToken cancellationToken);

    Task<DescribeJobDefinitionsResponse> DescribeJobDefinitionsAsync(DescribeJobDefinitionsRequest request, CancellationToken cancellationToken);

    Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken);

    /// <summary>At most 100 ids per call (<see cref="BatchClientExtensions.DescribeJobsInBatchesAsync"/> splits more).</summary>
    Task<DescribeJobsResponse> DescribeJobsAsync(DescribeJobsRequest request, CancellationToken cancellationToken);

    Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken);

    Task CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken);

    Task TerminateJobAsync(TerminateJobRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IBatchClient"/> over restJson1: every operation is <c>POST /v1/&lt;lowercased name&gt;</c> with a JSON
/// body. Batch signals throttling with a bare HTTP 429, which the shared pipeline classifies and retries.
/// </summary>
internal sealed class BatchClient(AwsContext context) : RestJsonClientBase(context, AwsService.Batch), IBatchClient
{
    private const string QueueHint = "batch_job_queue_list shows the job queues of this account and region.";
    private const string JobHint = "batch_job_list shows job ids; jobs are kept about 7 days after they end.";

    private static readonly AwsOperation DescribeComputeEnvironments = new(nameof(DescribeComputeEnvironments));
    private static readonly AwsOperation DescribeJobQueues = new(nameof(DescribeJobQueues));
    private static readonly AwsOperation DescribeJobDefinitions = new(nameof(DescribeJobDefinitions));
    private static readonly AwsOperation ListJobs = new(nameof(ListJobs));
    private static readonly AwsOperation DescribeJobs = new(nameof(DescribeJobs));

    // Submitting twice runs the job twice: never retried after an ambiguous failure.
    private static readonly AwsOperation SubmitJob = new(nameof(SubmitJob), Idempotent: false);
    private static readonly AwsOperation CancelJob = new(nameof(CancelJob));
    private static readonly AwsOperation TerminateJob = new(nameof(TerminateJob));

    private static BatchJsonContext Json => BatchJsonContext.Default;

    public Task<DescribeComputeEnvironmentsResponse> DescribeComputeEnvironmentsAsync(DescribeComputeEnvironmentsRequest request, CancellationToken cancellationToken) =>
        PostAsync(DescribeComputeEnvironments, Checked(request, r => Each(r.ComputeEnvironments, BatchNames.ComputeEnvironment, "computeEnvironments")), Json.DescribeComputeEnvironmentsRequest, Json.DescribeComputeEnvironmentsResponse,
            null, null, cancellationToken);

    public Task<DescribeJobQueuesResponse> DescribeJobQueuesAsync(DescribeJobQueuesRequest request, CancellationToken cancellationToken) =>
        PostAsync(DescribeJobQueues, Checked(request, r => Each(r.JobQueues, BatchNames.Queue, "jobQueues")), Json.DescribeJobQueuesRequest, Json.DescribeJobQueuesResponse, null, null, cancellationToken);

    public Task<DescribeJobDefinitionsResponse> DescribeJobDefinitionsAsync(DescribeJobDefinitionsRequest request, CancellationToken cancellationToken) =>
        PostAsync(DescribeJobDefinitions, Checked(request, r =>
            {
                Each(r.JobDefinitions, BatchNames.Definition, "jobDefinitions");
                One(r.JobDefinitionName, BatchNames.DefinitionName, "jobDefinitionName");
            }), Json.DescribeJobDefinitionsRequest, Json.DescribeJobDefinitionsResponse,
            null, null, cancellationToken);

    public Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken) =>
        PostAsync(ListJobs, Checked(request, r =>
            {
                One(r.JobQueue, BatchNames.Queue, "jobQueue");
                One(r.ArrayJobId, BatchNames.JobId, "arrayJobId");
            }), Json.ListJobsRequest, Json.ListJobsResponse,
            request.JobQueue is { } q ? $"job queue '{q}'" : request.ArrayJobId is { } a ? $"array job '{a}'" : null,
            request.JobQueue is null ? JobHint : QueueHint, cancellationToken);

    public Task<DescribeJobsResponse> DescribeJobsAsync(DescribeJobsRequest request, CancellationToken cancellationToken) =>
        PostAsync(DescribeJobs, Checked(request, r => Each(r.Jobs, BatchNames.JobId, "jobs")), Json.DescribeJobsRequest, Json.DescribeJobsResponse, null, JobHint, cancellationToken);

    public Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken) =>
        PostAsync(SubmitJob, Checked(request, r =>
            {
                One(r.JobName, BatchNames.JobName, "jobName");
                One(r.JobQueue, BatchNames.Queue, "jobQueue");
                One(r.JobDefinition, BatchNames.Definition, "jobDefinition");
                Each(r.DependsOn?.Select(d => d.JobId).OfType<string>(), BatchNames.JobId, "dependsOn");
            }), Json.SubmitJobRequest, Json.SubmitJobResponse,
            $"job queue '{request.JobQueue}' with job definition '{request.JobDefinition}'",
            "batch_job_queue_list and batch_job_definition_list show what exists.", cancellationToken);

    public Task CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken) =>
        PostAsync(CancelJob, Checked(request, r => One(r.JobId, BatchNames.JobId, "jobId")), Json.CancelJobRequest, Json.EmptyResponse, $"job '{request.JobId}'", JobHint, cancellationToken);

    public Task TerminateJobAsync(TerminateJobRequest request, CancellationToken cancellationToken) =>
        PostAsync(TerminateJob, Checked(request, r => One(r.JobId, BatchNames.JobId, "jobId")), Json.TerminateJobRequest, Json.EmptyResponse, $"job '{request.JobId}'", JobHint, cancellationToken);

    // The bodies are JSON, so nothing is spliced into a path; names and ids are still checked against Batch's rules
    // here, the one place every Batch call passes, so a malformed one is refused before it is sent.
    private static T Checked<T>(T request, Action<T> check)
    {
        ArgumentNullException.ThrowIfNull(request);
        check(request);
        return request;
    }

    private static void One(string? value, Core.Validation.NameRule rule, string member)
    {
        if (value is not null) rule.Require(value, member);
    }

    private static void Each(IEnumerable<string>? values, Core.Validation.NameRule rule, string member)
    {
        var i = 0;
        foreach (var value in values ?? []) rule.Require(value, $"{member}[{i++}]");
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(AwsOperation operation, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, string? resource, string? hint, CancellationToken cancellationToken)
    {
        var request = RestJsonRequest.Post(operation, "/v1/" + operation.Name.ToLowerInvariant()).Body(body, requestType);
        if (resource is not null)
        {
            request.About(resource, hint);
        }

        return SendAsync(request, responseType, cancellationToken);
    }
}

/// <summary>Paging and batching over <see cref="IBatchClient"/>.</summary>
internal static class BatchClientExtensions
{
    /// <summary>DescribeJobs takes at most 100 ids per call.</summary>
    public const int DescribeJobsBatch = 100;

    /// <summary>Describes any number of jobs, 100 ids per call, in parallel; unknown ids are simply absent.</summary>
    public static async Task<IReadOnlyList<JobDetail>> DescribeJobsInBatchesAsync(this IBatchClient client, IEnumerable<string> jobIds,
        CancellationToken cancellationToken)
    {
        var ids = jobIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        var batches = ids.Chunk(DescribeJobsBatch).Select(chunk =>
            client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [.. chunk] }, cancellationToken));
        var pages = await Task.WhenAll(batches).ConfigureAwait(false);
        return [.. pages.SelectMany(p => p.Jobs ?? [])];
    }

    /// <summary>Every compute environment (a few pages at most).</summary>
    public static async Task<IReadOnlyList<ComputeEnvironmentDetail>> AllComputeEnvironmentsAsync(this IBatchClient client,
        IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        var result = await AwsPaging.CollectAsync(
            (token, _, ct) => client.DescribeComputeEnvironmentsAsync(new DescribeComputeEnvironmentsRequest
            {
                ComputeEnvironments = names is { Count: > 0 } ? [.. names] : null, MaxResults = 100, NextToken = token,
            }, ct),
            p => p.ComputeEnvironments, p => p.NextToken, new PageLimits(MaxPages: 20), null, cancellationToken).ConfigureAwait(false);
        return result.Items;
    }

    /// <summary>Every job queue (a few pages at most).</summary>
    public static async Task<IReadOnlyList<JobQueueDetail>> AllJobQueuesAsync(this IBatchClient client, IReadOnlyList<string>? names,
        CancellationToken cancellationToken)
    {
        var result = await AwsPaging.CollectAsync(
            (token, _, ct) => client.DescribeJobQueuesAsync(new DescribeJobQueuesRequest
            {
                JobQueues = names is { Count: > 0 } ? [.. names] : null, MaxResults = 100, NextToken = token,
            }, ct),
            p => p.JobQueues, p => p.NextToken, new PageLimits(MaxPages: 20), null, cancellationToken).ConfigureAwait(false);
        return result.Items;
    }

    /// <summary>One job queue by name or ARN, or null.</summary>
    public static async Task<JobQueueDetail?> JobQueueAsync(this IBatchClient client, string queue, CancellationToken cancellationToken)
    {
        var found = await client.AllJobQueuesAsync([queue], cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>One compute environment by name or ARN, or null.</summary>
    public static async Task<ComputeEnvironmentDetail?> ComputeEnvironmentAsync(this IBatchClient client, string name, CancellationToken cancellationToken)
    {
        var found = await client.AllComputeEnvironmentsAsync([name], cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>One job, or null when no job has that id.</summary>
    public static async Task<JobDetail?> JobAsync(this IBatchClient client, string jobId, CancellationToken cancellationToken)
    {
        var found = await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [jobId] }, cancellationToken).ConfigureAwait(false);
        return found.Jobs is { Count: > 0 } jobs ? jobs[0] : null;
    }
}
