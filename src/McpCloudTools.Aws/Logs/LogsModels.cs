using System.Diagnostics.CodeAnalysis;

namespace McpCloudTools.Aws.Logs;

// Shapes of CloudWatch Logs 2014-03-28 (logs.service-2.json), named as in AWSSDK.CloudWatchLogs. Times are epoch
// milliseconds as on the wire. Members the tools do not need are left out; unknown members in answers are ignored.

/// <summary>Input of <c>DescribeLogGroups</c>.</summary>
public sealed class DescribeLogGroupsRequest
{
    /// <summary>Only groups whose name starts with this (cannot be combined with the pattern).</summary>
    public string? LogGroupNamePrefix { get; set; }

    /// <summary>Only groups whose name contains this substring (case-insensitive).</summary>
    public string? LogGroupNamePattern { get; set; }

    /// <summary>Only these groups (names or ARNs).</summary>
    public List<string>? LogGroupIdentifiers { get; set; }

    /// <summary><c>STANDARD</c>, <c>INFREQUENT_ACCESS</c> or <c>DELIVERY</c>.</summary>
    public string? LogGroupClass { get; set; }

    /// <summary>Page size, 1–50.</summary>
    public int? Limit { get; set; }

    /// <summary>Continuation token.</summary>
    public string? NextToken { get; set; }
}

/// <summary>Output of <c>DescribeLogGroups</c>.</summary>
public sealed class DescribeLogGroupsResponse
{
    /// <summary>The groups of this page.</summary>
    public List<LogGroup>? LogGroups { get; set; }

    /// <summary>Token for the next page; absent on the last.</summary>
    public string? NextToken { get; set; }
}

/// <summary>A log group.</summary>
public sealed class LogGroup
{
    /// <summary>Name, e.g. <c>/aws/lambda/orders</c>.</summary>
    public string? LogGroupName { get; set; }

    /// <summary>Creation time (epoch ms).</summary>
    public long? CreationTime { get; set; }

    /// <summary>Retention; null means never expire.</summary>
    public int? RetentionInDays { get; set; }

    /// <summary>Number of metric filters.</summary>
    public int? MetricFilterCount { get; set; }

    /// <summary>ARN ending in <c>:*</c>.</summary>
    public string? Arn { get; set; }

    /// <summary>ARN without the trailing <c>:*</c>.</summary>
    public string? LogGroupArn { get; set; }

    /// <summary>Stored bytes.</summary>
    public long? StoredBytes { get; set; }

    /// <summary>KMS key, if encrypted.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Log group class.</summary>
    public string? LogGroupClass { get; set; }
}

/// <summary>Input of <c>DescribeLogStreams</c>.</summary>
public sealed class DescribeLogStreamsRequest
{
    /// <summary>Group name (or use <see cref="LogGroupIdentifier"/>).</summary>
    public string? LogGroupName { get; set; }

    /// <summary>Group name or ARN.</summary>
    public string? LogGroupIdentifier { get; set; }

    /// <summary>Only streams starting with this; requires ordering by name.</summary>
    public string? LogStreamNamePrefix { get; set; }

    /// <summary><c>LogStreamName</c> (default) or <c>LastEventTime</c>.</summary>
    public string? OrderBy { get; set; }

    /// <summary>Descending order.</summary>
    public bool? Descending { get; set; }

    /// <summary>Page size, 1–50.</summary>
    public int? Limit { get; set; }

    /// <summary>Continuation token.</summary>
    public string? NextToken { get; set; }
}

/// <summary>Output of <c>DescribeLogStreams</c>.</summary>
public sealed class DescribeLogStreamsResponse
{
    /// <summary>The streams of this page.</summary>
    public List<LogStream>? LogStreams { get; set; }

    /// <summary>Token for the next page; absent on the last.</summary>
    public string? NextToken { get; set; }
}

/// <summary>A log stream.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "Named as in the service model and AWSSDK.")]
public sealed class LogStream
{
    /// <summary>Stream name.</summary>
    public string? LogStreamName { get; set; }

    /// <summary>Creation time (epoch ms).</summary>
    public long? CreationTime { get; set; }

    /// <summary>Time of the first event (epoch ms).</summary>
    public long? FirstEventTimestamp { get; set; }

    /// <summary>Time of the last event (epoch ms; updated lazily by AWS).</summary>
    public long? LastEventTimestamp { get; set; }

    /// <summary>Last ingestion time (epoch ms).</summary>
    public long? LastIngestionTime { get; set; }

    /// <summary>Stream ARN.</summary>
    public string? Arn { get; set; }
}

/// <summary>Input of <c>GetLogEvents</c>.</summary>
public sealed class GetLogEventsRequest
{
    /// <summary>Group name (or use <see cref="LogGroupIdentifier"/>).</summary>
    public string? LogGroupName { get; set; }

    /// <summary>Group name or ARN.</summary>
    public string? LogGroupIdentifier { get; set; }

    /// <summary>Stream name (required).</summary>
    public string LogStreamName { get; set; } = "";

    /// <summary>Inclusive start (epoch ms).</summary>
    public long? StartTime { get; set; }

    /// <summary>Exclusive end (epoch ms).</summary>
    public long? EndTime { get; set; }

    /// <summary>Events per page, 1–10000.</summary>
    public int? Limit { get; set; }

    /// <summary>Oldest first when true; AWS defaults to false (newest page first).</summary>
    public bool? StartFromHead { get; set; }

    /// <summary>A <c>nextForwardToken</c> or <c>nextBackwardToken</c> from an earlier page.</summary>
    public string? NextToken { get; set; }
}

/// <summary>Output of <c>GetLogEvents</c>. Tokens are never null: the end is reached when a token comes back unchanged.</summary>
public sealed class GetLogEventsResponse
{
    /// <summary>Events of this page, oldest first.</summary>
    public List<OutputLogEvent>? Events { get; set; }

    /// <summary>Token for newer events (use with <c>StartFromHead = true</c>).</summary>
    public string? NextForwardToken { get; set; }

    /// <summary>Token for older events.</summary>
    public string? NextBackwardToken { get; set; }
}

/// <summary>An event read from one stream.</summary>
public sealed class OutputLogEvent
{
    /// <summary>Event time (epoch ms).</summary>
    public long? Timestamp { get; set; }

    /// <summary>The message.</summary>
    public string? Message { get; set; }

    /// <summary>Ingestion time (epoch ms).</summary>
    public long? IngestionTime { get; set; }
}

/// <summary>Input of <c>FilterLogEvents</c>.</summary>
public sealed class FilterLogEventsRequest
{
    /// <summary>Group name (or use <see cref="LogGroupIdentifier"/>).</summary>
    public string? LogGroupName { get; set; }

    /// <summary>Group name or ARN.</summary>
    public string? LogGroupIdentifier { get; set; }

    /// <summary>Only these streams (up to 100; not with a prefix).</summary>
    public List<string>? LogStreamNames { get; set; }

    /// <summary>Only streams starting with this.</summary>
    public string? LogStreamNamePrefix { get; set; }

    /// <summary>Inclusive start (epoch ms).</summary>
    public long? StartTime { get; set; }

    /// <summary>Exclusive end (epoch ms).</summary>
    public long? EndTime { get; set; }

    /// <summary>Filter pattern: terms, <c>"quoted phrases"</c>, <c>?alternatives</c>, <c>-exclusions</c>.</summary>
    public string? FilterPattern { get; set; }

    /// <summary>Events per page, 1–10000.</summary>
    public int? Limit { get; set; }

    /// <summary>Continuation token.</summary>
    public string? NextToken { get; set; }
}

/// <summary>Output of <c>FilterLogEvents</c>.</summary>
public sealed class FilterLogEventsResponse
{
    /// <summary>Matching events, in time order.</summary>
    public List<FilteredLogEvent>? Events { get; set; }

    /// <summary>Token for the next page; absent on the last.</summary>
    public string? NextToken { get; set; }
}

/// <summary>A matching event and the stream it came from.</summary>
public sealed class FilteredLogEvent
{
    /// <summary>Stream of the event.</summary>
    public string? LogStreamName { get; set; }

    /// <summary>Event time (epoch ms).</summary>
    public long? Timestamp { get; set; }

    /// <summary>The message.</summary>
    public string? Message { get; set; }

    /// <summary>Ingestion time (epoch ms).</summary>
    public long? IngestionTime { get; set; }

    /// <summary>Unique event id.</summary>
    public string? EventId { get; set; }
}
