using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Core.Audit;

/// <summary>
/// The audit trail: one JSON object per line (<see cref="AuditRecord"/>) to stderr or a file, or, without sign-in and
/// without <c>--audit-log</c>, today's text line in the log (<see cref="IsJson"/> false). Writing never blocks a call:
/// records go to a bounded queue that one background writer drains in batches (one system call per batch), appending
/// with <c>O_APPEND</c> so several processes can share a file. A failure (full disk, unwritable path) is reported once
/// in the log, the records are dropped, and the next batch tries again; a full queue drops records the same way.
/// </summary>
public sealed partial class AuditTrail : IAsyncDisposable
{
    /// <summary>Records queued at most; beyond, records are dropped (and that is reported).</summary>
    public const int QueueLimit = 10_000;

    private const int BatchBytes = 64 * 1024;
    private readonly Channel<AuditRecord>? _queue;
    private readonly Task _writer = Task.CompletedTask;
    private readonly string? _path;
    private readonly TextWriter? _stderr;
    private readonly ILogger _logger;
    private AppendOnlyFile? _file;
    private int _failing;
    private int _dropping;

    /// <summary>The text trail: <see cref="IsJson"/> false, records are logged by the caller as text.</summary>
    public AuditTrail(ILogger<AuditTrail> logger) => _logger = logger;

    private AuditTrail(string? path, TextWriter? stderr, ILogger logger)
    {
        _path = path;
        _stderr = stderr;
        _logger = logger;
        _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(QueueLimit)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite,
        });
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>JSON lines to <paramref name="target"/>: <c>stderr</c> or a file path.</summary>
    public static AuditTrail Json(string target, ILogger<AuditTrail> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        return target.Equals("stderr", StringComparison.OrdinalIgnoreCase)
            ? new AuditTrail(null, Console.Error, logger)
            : new AuditTrail(Path.GetFullPath(target), null, logger);
    }

    /// <summary>Whether records are written as JSON lines (else the caller logs its text line).</summary>
    public bool IsJson => _queue is not null;

    /// <summary>Where the lines go, for the start-up line.</summary>
    public string Target => _path ?? (_stderr is not null ? "stderr (JSON lines)" : "the log (text)");

    /// <summary>
    /// Records an MCP request (a tool call, a resource read, a completion) in the trail's kind: the JSON line
    /// <paramref name="record"/> builds, or, on the text trail, the log line <paramref name="textLine"/> writes. The one
    /// place that chooses between the two. Never blocks: a JSON line is queued like <see cref="Write"/>'s.
    /// </summary>
    public void Record(Func<AuditRecord> record, Action textLine)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(textLine);
        if (IsJson)
        {
            Write(record());
        }
        else
        {
            textLine();
        }
    }

    /// <summary>Queues a JSON line (the text trail has none); never blocks, never throws.</summary>
    public void Write(AuditRecord record)
    {
        if (_queue is null || _queue.Writer.TryWrite(record))
        {
            return;
        }

        if (Interlocked.Exchange(ref _dropping, 1) == 0)
        {
            LogQueueFull(_logger, QueueLimit);
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_queue is null)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _file?.Dispose();
    }

    private async Task WriteAllAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(BatchBytes);
        using var json = new Utf8JsonWriter(buffer);
        var reader = _queue!.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (buffer.WrittenCount < BatchBytes && reader.TryRead(out var record))
            {
                JsonSerializer.Serialize(json, record, AuditJsonContext.Default.AuditRecord);
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
            }

            Flush(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }

    private void Flush(ReadOnlySpan<byte> lines)
    {
        try
        {
            if (_stderr is not null)
            {
                // One Write of whole lines: the synchronized stderr writer keeps log lines from landing inside them.
                _stderr.Write(Encoding.UTF8.GetString(lines));
            }
            else
            {
                _file ??= AppendOnlyFile.Open(_path!);
                _file.Append(lines);
            }

            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                LogRecovered(_logger, Target);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _file?.Dispose();
            _file = null;
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogFailed(_logger, Target, e.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Audit log {Target} cannot be written ({Reason}); audit lines are dropped until it can (calls go on)")]
    private static partial void LogFailed(ILogger logger, string target, string reason);

    [LoggerMessage(LogLevel.Warning, "Audit log {Target} is written again")]
    private static partial void LogRecovered(ILogger logger, string target);

    [LoggerMessage(LogLevel.Error, "Audit queue full ({Limit} lines waiting): audit lines are being dropped; the audit log's target is too slow")]
    private static partial void LogQueueFull(ILogger logger, int limit);
}
