namespace McpCloudTools.Aws.Logs;

/// <summary>
/// Multi-page reads over any <see cref="ICloudWatchLogsClient"/> (so fakes get them too), bounded by
/// <see cref="PageLimits"/>. The request objects are copied, never mutated.
/// </summary>
public static class CloudWatchLogsPaging
{
    /// <summary>Log groups across pages.</summary>
    public static Task<PagedResult<LogGroup>> DescribeAllLogGroupsAsync(this ICloudWatchLogsClient client,
        DescribeLogGroupsRequest request, PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        return AwsPaging.CollectAsync(
            (token, wanted, ct) => client.DescribeLogGroupsAsync(new DescribeLogGroupsRequest
            {
                LogGroupNamePrefix = request.LogGroupNamePrefix, LogGroupNamePattern = request.LogGroupNamePattern,
                LogGroupIdentifiers = request.LogGroupIdentifiers, LogGroupClass = request.LogGroupClass,
                Limit = PageSize(request.Limit, wanted, 50), NextToken = token,
            }, ct),
            page => page.LogGroups, page => page.NextToken, limits, request.NextToken, cancellationToken);
    }

    /// <summary>Log streams across pages.</summary>
    public static Task<PagedResult<LogStream>> DescribeAllLogStreamsAsync(this ICloudWatchLogsClient client,
        DescribeLogStreamsRequest request, PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        return AwsPaging.CollectAsync(
            (token, wanted, ct) => client.DescribeLogStreamsAsync(new DescribeLogStreamsRequest
            {
                LogGroupName = request.LogGroupName, LogGroupIdentifier = request.LogGroupIdentifier,
                LogStreamNamePrefix = request.LogStreamNamePrefix, OrderBy = request.OrderBy,
                Descending = request.Descending, Limit = PageSize(request.Limit, wanted, 50), NextToken = token,
            }, ct),
            page => page.LogStreams, page => page.NextToken, limits, request.NextToken, cancellationToken);
    }

    /// <summary>Matching events across pages.</summary>
    public static Task<PagedResult<FilteredLogEvent>> FilterAllLogEventsAsync(this ICloudWatchLogsClient client,
        FilterLogEventsRequest request, PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        return AwsPaging.CollectAsync(
            (token, wanted, ct) => client.FilterLogEventsAsync(new FilterLogEventsRequest
            {
                LogGroupName = request.LogGroupName, LogGroupIdentifier = request.LogGroupIdentifier,
                LogStreamNames = request.LogStreamNames, LogStreamNamePrefix = request.LogStreamNamePrefix,
                StartTime = request.StartTime, EndTime = request.EndTime, FilterPattern = request.FilterPattern,
                Limit = PageSize(request.Limit, wanted, 10000), NextToken = token,
            }, ct),
            page => page.Events, page => page.NextToken, limits, request.NextToken, cancellationToken);
    }

    /// <summary>
    /// Events of one stream across pages, in the direction of <see cref="GetLogEventsRequest.StartFromHead"/>:
    /// forward tokens when reading from the head, backward tokens otherwise. GetLogEvents never returns a null
    /// token and may return empty pages before its end, which is reached when a token comes back unchanged; the
    /// result's token is null then. Bound reads with <c>EndTime</c> and the page limit.
    /// </summary>
    public static Task<PagedResult<OutputLogEvent>> GetAllLogEventsAsync(this ICloudWatchLogsClient client,
        GetLogEventsRequest request, PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var forward = request.StartFromHead == true;
        return AwsPaging.CollectAsync(
            (token, wanted, ct) => client.GetLogEventsAsync(new GetLogEventsRequest
            {
                LogGroupName = request.LogGroupName, LogGroupIdentifier = request.LogGroupIdentifier,
                LogStreamName = request.LogStreamName, StartTime = request.StartTime, EndTime = request.EndTime,
                StartFromHead = request.StartFromHead, Limit = PageSize(request.Limit, wanted, 10000), NextToken = token,
            }, ct),
            page => page.Events, page => forward ? page.NextForwardToken : page.NextBackwardToken, limits,
            request.NextToken, cancellationToken);
    }

    private static int? PageSize(int? requested, int? wanted, int serviceMax)
    {
        if (wanted is null) return requested;
        var size = Math.Min(wanted.Value, requested ?? serviceMax);
        return Math.Clamp(size, 1, serviceMax);
    }
}
