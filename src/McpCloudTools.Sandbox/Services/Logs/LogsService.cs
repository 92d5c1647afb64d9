using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Logs;

/// <summary>
/// CloudWatch Logs over awsJson1.1 (<c>X-Amz-Target: Logs_20140328.*</c>): <c>DescribeLogGroups</c>,
/// <c>DescribeLogStreams</c>, <c>GetLogEvents</c> (with its token quirk) and <c>FilterLogEvents</c>, over the
/// shared <see cref="SandboxLogStore"/>.
/// </summary>
public sealed class LogsService(SandboxContext context) : ISandboxService
{
    private const string TargetPrefix = "Logs_20140328.";
    private SandboxLogStore Store => context.Logs;

    /// <inheritdoc />
    public string SigningName => "logs";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.Json11;

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario) => LogsSeeder.Seed(context, scenario);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary()
    {
        var (groups, streams, events) = Store.Counts();
        return new Dictionary<string, long> { ["groups"] = groups, ["streams"] = streams, ["events"] = events };
    }

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Header("X-Amz-Target") ?? "";
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || request.Method != "POST")
            throw new SandboxApiException(400, "UnknownOperationException", $"Unknown operation {target}");
        var json = SandboxJsonContext.Default;
        return target[TargetPrefix.Length..] switch
        {
            "DescribeLogGroups" => SandboxJson.WriteAsync(request, 200,
                DescribeLogGroups(SandboxJson.Read(request, json.DescribeLogGroupsInput)), json.DescribeLogGroupsOutput, cancellationToken),
            "DescribeLogStreams" => SandboxJson.WriteAsync(request, 200,
                DescribeLogStreams(SandboxJson.Read(request, json.DescribeLogStreamsInput)), json.DescribeLogStreamsOutput, cancellationToken),
            "GetLogEvents" => SandboxJson.WriteAsync(request, 200,
                GetLogEvents(SandboxJson.Read(request, json.GetLogEventsInput)), json.GetLogEventsOutput, cancellationToken),
            "FilterLogEvents" => SandboxJson.WriteAsync(request, 200,
                FilterLogEvents(SandboxJson.Read(request, json.FilterLogEventsInput)), json.FilterLogEventsOutput, cancellationToken),
            var other => throw new SandboxApiException(400, "UnknownOperationException",
                $"The sandbox's CloudWatch Logs does not implement {other}."),
        };
    }

    private DescribeLogGroupsOutput DescribeLogGroups(DescribeLogGroupsInput input)
    {
        var limit = Limit(input.Limit, 50, 50);
        if (input.LogGroupNamePrefix is not null && input.LogGroupNamePattern is not null)
            throw Invalid("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.");
        var after = input.NextToken is null ? null : LogsPagingTokens.ParseOpaque(input.NextToken);
        var identifiers = input.LogGroupIdentifiers?.Select(GroupName).ToHashSet(StringComparer.Ordinal);
        var matching = Store.Groups().Where(g =>
            (input.LogGroupNamePrefix is null || g.Name.StartsWith(input.LogGroupNamePrefix, StringComparison.Ordinal))
            && (input.LogGroupNamePattern is null || g.Name.Contains(input.LogGroupNamePattern, StringComparison.OrdinalIgnoreCase))
            && (identifiers is null || identifiers.Contains(g.Name))
            && (after is null || string.CompareOrdinal(g.Name, after) > 0)).Take(limit + 1).ToList();
        var page = matching.Take(limit).ToList();
        return new DescribeLogGroupsOutput
        {
            LogGroups = page.Select(g => new LogGroupWire
            {
                LogGroupName = g.Name, CreationTime = g.CreationTime, RetentionInDays = g.RetentionInDays,
                Arn = Store.GroupArn(g.Name), LogGroupArn = Store.GroupArn(g.Name)[..^2], StoredBytes = g.StoredBytes,
            }).ToList(),
            NextToken = matching.Count > limit ? LogsPagingTokens.Opaque(page[^1].Name) : null,
        };
    }

    private DescribeLogStreamsOutput DescribeLogStreams(DescribeLogStreamsInput input)
    {
        var group = RequireGroup(input.LogGroupName, input.LogGroupIdentifier);
        var limit = Limit(input.Limit, 50, 50);
        var byTime = input.OrderBy switch
        {
            null or "LogStreamName" => false,
            "LastEventTime" => true,
            var other => throw Invalid($"1 validation error detected: Value '{other}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]"),
        };
        if (byTime && input.LogStreamNamePrefix is not null)
            throw Invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
        var streams = Store.Streams(group)!.Where(s =>
            input.LogStreamNamePrefix is null || s.Name.StartsWith(input.LogStreamNamePrefix, StringComparison.Ordinal));
        streams = byTime ? streams.OrderBy(s => s.LastEventTimestamp ?? 0).ThenBy(s => s.Name, StringComparer.Ordinal) : streams;
        if (input.Descending == true) streams = streams.Reverse();
        var all = streams.ToList();
        var offset = input.NextToken is null ? 0 : LogsPagingTokens.ParseOffset(input.NextToken, "streams");
        var page = all.Skip(offset).Take(limit).ToList();
        return new DescribeLogStreamsOutput
        {
            LogStreams = page.Select(s => new LogStreamWire
            {
                LogStreamName = s.Name, CreationTime = s.CreationTime, FirstEventTimestamp = s.FirstEventTimestamp,
                LastEventTimestamp = s.LastEventTimestamp, LastIngestionTime = s.LastIngestionTime, StoredBytes = s.StoredBytes,
                Arn = $"{Store.GroupArn(group)[..^2]}:log-stream:{s.Name}",
            }).ToList(),
            NextToken = offset + page.Count < all.Count
                ? LogsPagingTokens.Opaque("streams:" + (offset + page.Count).ToString(CultureInfo.InvariantCulture))
                : null,
        };
    }

    private GetLogEventsOutput GetLogEvents(GetLogEventsInput input)
    {
        var group = RequireGroup(input.LogGroupName, input.LogGroupIdentifier);
        if (string.IsNullOrEmpty(input.LogStreamName))
            throw Invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
        var limit = Limit(input.Limit, 10000, 10000);
        var start = input.StartTime ?? long.MinValue;
        var end = input.EndTime ?? long.MaxValue;
        (bool Forward, int Position)? token = input.NextToken is null ? null : LogsPagingTokens.ParseEventToken(input.NextToken);

        return Store.ReadStream(group, input.LogStreamName, events =>
        {
            bool InWindow(int i) => events[i].Timestamp >= start && events[i].Timestamp < end;
            var forward = token?.Forward ?? input.StartFromHead == true;
            var from = token?.Position ?? (forward ? 0 : events.Count);
            from = Math.Clamp(from, 0, events.Count);
            var picked = new List<int>();
            if (forward)
            {
                for (var i = from; i < events.Count && picked.Count < limit; i++)
                    if (InWindow(i)) picked.Add(i);
            }
            else
            {
                for (var i = from - 1; i >= 0 && picked.Count < limit; i--)
                    if (InWindow(i)) picked.Add(i);
                picked.Reverse();
            }
            // At the end of the stream the token sent comes back unchanged: that is how clients detect the end.
            var first = picked.Count > 0 ? picked[0] : from;
            var next = picked.Count > 0 ? picked[^1] + 1 : from;
            return new GetLogEventsOutput
            {
                Events = picked.Select(i => new OutputLogEventWire
                {
                    Timestamp = events[i].Timestamp, Message = events[i].Message, IngestionTime = events[i].IngestionTime,
                }).ToList(),
                NextForwardToken = LogsPagingTokens.Forward(next),
                NextBackwardToken = LogsPagingTokens.Backward(first),
            };
        }) ?? throw NotFound("The specified log stream does not exist.");
    }

    private FilterLogEventsOutput FilterLogEvents(FilterLogEventsInput input)
    {
        var group = RequireGroup(input.LogGroupName, input.LogGroupIdentifier);
        if (input.LogStreamNames is { Count: > 0 } && input.LogStreamNamePrefix is not null)
            throw Invalid("logStreamNames and logStreamNamePrefix are mutually exclusive.");
        var limit = Limit(input.Limit, 10000, 10000);
        var pattern = FilterPattern.Parse(input.FilterPattern);
        var start = input.StartTime ?? long.MinValue;
        var end = input.EndTime ?? long.MaxValue;
        var names = input.LogStreamNames?.ToHashSet(StringComparer.Ordinal);
        var streams = Store.Streams(group)!.Where(s => (names is null || names.Contains(s.Name))
            && (input.LogStreamNamePrefix is null || s.Name.StartsWith(input.LogStreamNamePrefix, StringComparison.Ordinal))).ToList();

        var matches = new List<FilteredLogEventWire>();
        foreach (var (stream, streamIndex) in streams.Select((s, i) => (s, i)))
        {
            Store.ReadStream(group, stream.Name, events =>
            {
                for (var i = 0; i < events.Count; i++)
                {
                    var e = events[i];
                    if (e.Timestamp < start || e.Timestamp >= end || !pattern.Matches(e.Message)) continue;
                    matches.Add(new FilteredLogEventWire
                    {
                        LogStreamName = stream.Name, Timestamp = e.Timestamp, Message = e.Message, IngestionTime = e.IngestionTime,
                        EventId = string.Create(CultureInfo.InvariantCulture, $"{e.Timestamp:D20}{streamIndex:D6}{i:D10}"),
                    });
                }
                return matches;
            });
        }
        var ordered = matches.OrderBy(m => m.Timestamp).ThenBy(m => m.EventId, StringComparer.Ordinal).ToList();
        var offset = input.NextToken is null ? 0 : LogsPagingTokens.ParseOffset(input.NextToken, "events");
        var page = ordered.Skip(offset).Take(limit).ToList();
        return new FilterLogEventsOutput
        {
            Events = page,
            SearchedLogStreams = streams.Select(s => new SearchedLogStreamWire { LogStreamName = s.Name, SearchedCompletely = true }).ToList(),
            NextToken = offset + page.Count < ordered.Count
                ? LogsPagingTokens.Opaque("events:" + (offset + page.Count).ToString(CultureInfo.InvariantCulture))
                : null,
        };
    }

    private string RequireGroup(string? name, string? identifier)
    {
        if (name is not null && identifier is not null)
            throw Invalid("LogGroupName and LogGroupIdentifier are mutually exclusive.");
        var group = name ?? (identifier is null ? null : GroupName(identifier))
            ?? throw Invalid("Either LogGroupName or LogGroupIdentifier must be specified.");
        return Store.GroupExists(group) ? group : throw NotFound("The specified log group does not exist.");
    }

    // A group identifier is a name or an ARN (arn:aws:logs:region:account:log-group:NAME[:*]).
    private static string GroupName(string identifier)
    {
        const string marker = ":log-group:";
        var at = identifier.IndexOf(marker, StringComparison.Ordinal);
        if (!identifier.StartsWith("arn:", StringComparison.Ordinal) || at < 0) return identifier;
        var name = identifier[(at + marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static int Limit(int? value, int defaultValue, int max) => value switch
    {
        null => defaultValue,
        < 1 => throw Invalid($"1 validation error detected: Value '{value}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        var v when v > max => throw Invalid($"1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {max}"),
        var v => v.Value,
    };

    private static SandboxApiException Invalid(string message) => new(400, "InvalidParameterException", message);

    private static SandboxApiException NotFound(string message) => new(400, "ResourceNotFoundException", message);
}
