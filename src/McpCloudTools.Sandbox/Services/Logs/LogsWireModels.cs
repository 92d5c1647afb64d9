using System.Diagnostics.CodeAnalysis;

namespace McpCloudTools.Sandbox.Services.Logs;

// The sandbox's own wire shapes for CloudWatch Logs (from logs.service-2.json), kept apart from the client's models
// so that a mistake in one cannot be cancelled out by the same mistake in the other.

internal sealed class DescribeLogGroupsInput
{
    public string? LogGroupNamePrefix { get; set; }
    public string? LogGroupNamePattern { get; set; }
    public List<string>? LogGroupIdentifiers { get; set; }
    public int? Limit { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class DescribeLogGroupsOutput
{
    public List<LogGroupWire> LogGroups { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class LogGroupWire
{
    public string? LogGroupName { get; set; }
    public long CreationTime { get; set; }
    public int? RetentionInDays { get; set; }
    public int MetricFilterCount { get; set; }
    public string? Arn { get; set; }
    public string? LogGroupArn { get; set; }
    public long StoredBytes { get; set; }
    public string LogGroupClass { get; set; } = "STANDARD";
}

internal sealed class DescribeLogStreamsInput
{
    public string? LogGroupName { get; set; }
    public string? LogGroupIdentifier { get; set; }
    public string? LogStreamNamePrefix { get; set; }
    public string? OrderBy { get; set; }
    public bool? Descending { get; set; }
    public int? Limit { get; set; }
    public string? NextToken { get; set; }
}

internal sealed class DescribeLogStreamsOutput
{
    public List<LogStreamWire> LogStreams { get; set; } = [];
    public string? NextToken { get; set; }
}

[SuppressMessage("Naming", "CA1711", Justification = "Wire shape named as in the service model.")]
internal sealed class LogStreamWire
{
    public string? LogStreamName { get; set; }
    public long CreationTime { get; set; }
    public long? FirstEventTimestamp { get; set; }
    public long? LastEventTimestamp { get; set; }
    public long? LastIngestionTime { get; set; }
    public string? UploadSequenceToken { get; set; }
    public string? Arn { get; set; }
    public long StoredBytes { get; set; }
}

internal sealed class GetLogEventsInput
{
    public string? LogGroupName { get; set; }
    public string? LogGroupIdentifier { get; set; }
    public string? LogStreamName { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public string? NextToken { get; set; }
    public int? Limit { get; set; }
    public bool? StartFromHead { get; set; }
}

internal sealed class GetLogEventsOutput
{
    public List<OutputLogEventWire> Events { get; set; } = [];
    public string? NextForwardToken { get; set; }
    public string? NextBackwardToken { get; set; }
}

internal sealed class OutputLogEventWire
{
    public long Timestamp { get; set; }
    public string? Message { get; set; }
    public long IngestionTime { get; set; }
}

internal sealed class FilterLogEventsInput
{
    public string? LogGroupName { get; set; }
    public string? LogGroupIdentifier { get; set; }
    public List<string>? LogStreamNames { get; set; }
    public string? LogStreamNamePrefix { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public string? FilterPattern { get; set; }
    public string? NextToken { get; set; }
    public int? Limit { get; set; }
}

internal sealed class FilterLogEventsOutput
{
    public List<FilteredLogEventWire> Events { get; set; } = [];
    public List<SearchedLogStreamWire> SearchedLogStreams { get; set; } = [];
    public string? NextToken { get; set; }
}

internal sealed class FilteredLogEventWire
{
    public string? LogStreamName { get; set; }
    public long Timestamp { get; set; }
    public string? Message { get; set; }
    public long IngestionTime { get; set; }
    public string? EventId { get; set; }
}

[SuppressMessage("Naming", "CA1711", Justification = "Wire shape named as in the service model.")]
internal sealed class SearchedLogStreamWire
{
    public string? LogStreamName { get; set; }
    public bool SearchedCompletely { get; set; }
}
