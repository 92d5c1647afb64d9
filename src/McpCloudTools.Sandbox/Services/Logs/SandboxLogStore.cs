namespace McpCloudTools.Sandbox;

/// <summary>One log event as stored: epoch-millisecond times and the message.</summary>
/// <param name="Timestamp">Event time (epoch ms).</param>
/// <param name="Message">The message.</param>
/// <param name="IngestionTime">When it was ingested (epoch ms).</param>
public readonly record struct SandboxLogEvent(long Timestamp, string Message, long IngestionTime);

/// <summary>A log stream's metadata at one moment.</summary>
public sealed record LogStreamInfo(string Name, long CreationTime, long? FirstEventTimestamp, long? LastEventTimestamp,
    long? LastIngestionTime, long StoredBytes, int EventCount);

/// <summary>A log group's metadata at one moment.</summary>
public sealed record LogGroupInfo(string Name, long CreationTime, int? RetentionInDays, long StoredBytes, int StreamCount);

/// <summary>
/// The CloudWatch Logs data of the sandbox account. The Logs service serves it; other services write to it the way
/// AWS services do (Lambda to <c>/aws/lambda/&lt;function&gt;</c>, Batch to <c>/aws/batch/job</c>). Thread-safe.
/// </summary>
public sealed class SandboxLogStore(string region, string accountId)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>ARN of a group, ending in <c>:*</c> as <c>DescribeLogGroups</c> reports it.</summary>
    public string GroupArn(string group) => $"arn:aws:logs:{region}:{accountId}:log-group:{group}:*";

    /// <summary>Creates a group unless it exists.</summary>
    public void CreateGroup(string name, DateTimeOffset created, int? retentionInDays = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (!_groups.ContainsKey(name)) _groups[name] = new Group(created.ToUnixTimeMilliseconds(), retentionInDays);
        }
    }

    /// <summary>Appends one event, creating the group and stream as needed (as the AWS services' own logging does).</summary>
    public void Append(string group, string stream, DateTimeOffset timestamp, string message) =>
        Append(group, stream, [new SandboxLogEvent(timestamp.ToUnixTimeMilliseconds(), message, timestamp.ToUnixTimeMilliseconds())]);

    /// <summary>Appends events, keeping each stream in time order.</summary>
    public void Append(string group, string stream, IEnumerable<SandboxLogEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            var batch = events.ToList();
            if (batch.Count == 0) return;
            var first = batch.Min(e => e.Timestamp);
            if (!_groups.TryGetValue(group, out var g)) _groups[group] = g = new Group(first, null);
            if (!g.Streams.TryGetValue(stream, out var s)) g.Streams[stream] = s = new Stream(first);
            foreach (var e in batch) s.Add(e);
        }
    }

    /// <summary>True when the group exists.</summary>
    public bool GroupExists(string group)
    {
        lock (_gate) return _groups.ContainsKey(group);
    }

    /// <summary>All groups, by name.</summary>
    public IReadOnlyList<LogGroupInfo> Groups()
    {
        lock (_gate)
        {
            return _groups.Select(p => new LogGroupInfo(p.Key, p.Value.Created, p.Value.Retention,
                p.Value.Streams.Values.Sum(s => s.Bytes), p.Value.Streams.Count)).ToList();
        }
    }

    /// <summary>Streams of a group, by name; null when the group does not exist.</summary>
    public IReadOnlyList<LogStreamInfo>? Streams(string group)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var g)) return null;
            return g.Streams.Select(p => new LogStreamInfo(p.Key, p.Value.Created, 
                p.Value.Events.Count > 0 ? p.Value.Events[0].Timestamp : null,
                p.Value.Events.Count > 0 ? p.Value.Events[^1].Timestamp : null, p.Value.LastIngestion, p.Value.Bytes,
                p.Value.Events.Count)).ToList();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> over a stream's events (time order) under the store's lock, so paging can use
    /// positions without copying; null when the group or stream does not exist.
    /// </summary>
    public T? ReadStream<T>(string group, string stream, Func<IReadOnlyList<SandboxLogEvent>, T> read) where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return _groups.TryGetValue(group, out var g) && g.Streams.TryGetValue(stream, out var s) ? read(s.Events) : null;
        }
    }

    /// <summary>Totals for the state summary.</summary>
    public (long Groups, long Streams, long Events) Counts()
    {
        lock (_gate)
        {
            return (_groups.Count, _groups.Values.Sum(g => (long)g.Streams.Count),
                _groups.Values.Sum(g => g.Streams.Values.Sum(s => (long)s.Events.Count)));
        }
    }

    private sealed class Group(long created, int? retention)
    {
        public long Created { get; } = created;
        public int? Retention { get; } = retention;
        public SortedDictionary<string, Stream> Streams { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Stream(long created)
    {
        public long Created { get; } = created;
        public List<SandboxLogEvent> Events { get; } = [];
        public long Bytes { get; private set; }
        public long? LastIngestion { get; private set; }

        public void Add(SandboxLogEvent e)
        {
            // Events mostly arrive in order: append, else insert after the last event with the same or an earlier time.
            var index = Events.Count;
            while (index > 0 && Events[index - 1].Timestamp > e.Timestamp) index--;
            Events.Insert(index, e);
            Bytes += System.Text.Encoding.UTF8.GetByteCount(e.Message) + 26;
            LastIngestion = Math.Max(LastIngestion ?? 0, e.IngestionTime);
        }
    }
}
