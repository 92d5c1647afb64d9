namespace McpCloudTools.Aws.Logs;

/// <summary>
/// CloudWatch Logs, shaped like AWSSDK's <c>IAmazonCloudWatchLogs</c> (no AWSSDK.CloudWatchLogs package is served):
/// what the Lambda and Batch tools need to find and read logs.
/// </summary>
public interface ICloudWatchLogsClient
{
    /// <summary>Lists log groups, one page.</summary>
    Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(DescribeLogGroupsRequest request, CancellationToken cancellationToken);

    /// <summary>Lists the streams of a group, one page.</summary>
    Task<DescribeLogStreamsResponse> DescribeLogStreamsAsync(DescribeLogStreamsRequest request, CancellationToken cancellationToken);

    /// <summary>Reads events of one stream, one page.</summary>
    Task<GetLogEventsResponse> GetLogEventsAsync(GetLogEventsRequest request, CancellationToken cancellationToken);

    /// <summary>Searches events across the streams of a group, one page.</summary>
    Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken cancellationToken);
}

/// <summary><see cref="ICloudWatchLogsClient"/> over awsJson1.1 (<c>X-Amz-Target: Logs_20140328.*</c>).</summary>
public sealed class CloudWatchLogsClient(AwsContext context)
    : AwsJsonClientBase(context, AwsService.Logs, "Logs_20140328"), ICloudWatchLogsClient
{
    private const string GroupHint = "List the log groups (DescribeLogGroups with a name prefix) to see which exist in this region.";
    private const string StreamHint = "List the group's streams (DescribeLogStreams) to see which exist.";

    private static readonly AwsOperation DescribeLogGroups = new(nameof(DescribeLogGroups));
    private static readonly AwsOperation DescribeLogStreams = new(nameof(DescribeLogStreams));
    private static readonly AwsOperation GetLogEvents = new(nameof(GetLogEvents));
    private static readonly AwsOperation FilterLogEvents = new(nameof(FilterLogEvents));

    /// <inheritdoc />
    public Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(DescribeLogGroupsRequest request,
        CancellationToken cancellationToken) =>
        InvokeAsync(DescribeLogGroups, request, AwsJsonContext.Default.DescribeLogGroupsRequest,
            AwsJsonContext.Default.DescribeLogGroupsResponse, null, null, cancellationToken);

    /// <inheritdoc />
    public Task<DescribeLogStreamsResponse> DescribeLogStreamsAsync(DescribeLogStreamsRequest request,
        CancellationToken cancellationToken) =>
        Checked(request.LogGroupName, null, null).InvokeAsync(DescribeLogStreams, request, AwsJsonContext.Default.DescribeLogStreamsRequest,
            AwsJsonContext.Default.DescribeLogStreamsResponse, Group(request.LogGroupName ?? request.LogGroupIdentifier),
            GroupHint, cancellationToken);

    /// <inheritdoc />
    public Task<GetLogEventsResponse> GetLogEventsAsync(GetLogEventsRequest request, CancellationToken cancellationToken) =>
        Checked(request.LogGroupName, [request.LogStreamName], null).InvokeAsync(GetLogEvents, request, AwsJsonContext.Default.GetLogEventsRequest,
            AwsJsonContext.Default.GetLogEventsResponse,
            $"log stream '{request.LogStreamName}' in {Group(request.LogGroupName ?? request.LogGroupIdentifier)}",
            StreamHint, cancellationToken);

    /// <inheritdoc />
    public Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request,
        CancellationToken cancellationToken) =>
        Checked(request.LogGroupName, request.LogStreamNames, request.FilterPattern).InvokeAsync(FilterLogEvents, request, AwsJsonContext.Default.FilterLogEventsRequest,
            AwsJsonContext.Default.FilterLogEventsResponse, Group(request.LogGroupName ?? request.LogGroupIdentifier),
            GroupHint, cancellationToken);

    private static string Group(string? name) => $"log group '{name}'";

    // The body is JSON, so nothing can be spliced into a path; the names are still checked against the service's
    // rules here, the one place every Logs call passes, so a bad name is refused before it is sent.
    private CloudWatchLogsClient Checked(string? group, IEnumerable<string>? streams, string? filterPattern)
    {
        if (group is not null) LogsNames.Group.Require(group, "logGroupName");
        foreach (var stream in streams ?? []) LogsNames.Stream.Require(stream, "logStreamName");
        if (filterPattern is not null && LogsNames.FilterPattern.Problem(filterPattern) is { } problem)
            throw Core.Validation.ArgumentError.Invalid("filterPattern", filterPattern, problem, LogsNames.FilterPattern);
        return this;
    }
}
