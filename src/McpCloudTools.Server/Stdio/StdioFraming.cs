using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Server.Stdio;

/// <summary>
/// Sits between stdin/stdout and the SDK's stream transport (<c>WithStreamServerTransport</c>): reads stdin with a
/// bounded line reader and passes on only lines the SDK can handle (<see cref="JsonRpcLine"/>). Every other line is
/// answered here with a JSON-RPC error, so no malformed line goes unanswered or stalls the stream, and a line longer
/// than <see cref="ServerOptions.MaxRequestBytes"/> is answered without being held in memory: only its first bytes
/// are kept, to read its id. Replies share stdout with the SDK through one gate, a whole message at a time.
/// </summary>
internal sealed partial class StdioFraming : IDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private const int IdPrefixBytes = 64 * 1024;
    private static readonly byte[] Newline = "\n"u8.ToArray();

    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly long _maxLineBytes;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));

    public StdioFraming(Stream stdin, Stream stdout, long maxLineBytes)
    {
        _stdin = stdin;
        _stdout = stdout;
        _maxLineBytes = maxLineBytes;
        Input = _pipe.Reader.AsStream();
        Output = new GatedOutput(this);
    }

    /// <summary>What the SDK reads: the lines that passed.</summary>
    public Stream Input { get; }

    /// <summary>What the SDK writes to: stdout, one whole message at a time.</summary>
    public Stream Output { get; }

    /// <summary>Where refused lines are logged (set once the host's logging exists).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Starts reading stdin; stdin's end ends the SDK's stream, and so the server.</summary>
    public StdioFraming Start()
    {
        _ = Task.Run(PumpAsync);
        return this;
    }

    private async Task PumpAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var line = new ArrayBufferWriter<byte>(ChunkBytes);
        long length = 0;
        var first = true;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await _stdin.ReadAsync(chunk.AsMemory(0, ChunkBytes)).ConfigureAwait(false);
                if (read == 0)
                {
                    if (length > 0 && !await EndLineAsync(line, length, first).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
                }

                var data = chunk.AsMemory(0, read);
                while (!data.IsEmpty)
                {
                    var newline = data.Span.IndexOf((byte)'\n');
                    var part = newline < 0 ? data : data[..newline];
                    length += part.Length;
                    // Past the limit only the first bytes are kept (for the id); the rest is counted and dropped.
                    var keep = (int)Math.Min(part.Length, Math.Max(0, (length > _maxLineBytes ? IdPrefixBytes : _maxLineBytes) - line.WrittenCount));
                    line.Write(part.Span[..keep]);
                    if (newline < 0)
                    {
                        break;
                    }

                    if (!await EndLineAsync(line, length, first).ConfigureAwait(false))
                    {
                        return;
                    }

                    first = false;
                    line.ResetWrittenCount();
                    length = 0;
                    data = data[(newline + 1)..];
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            await _pipe.Writer.CompleteAsync(failure).ConfigureAwait(false);
        }
    }

    /// <summary>Passes on or answers one line; false once the SDK has stopped reading.</summary>
    private async Task<bool> EndLineAsync(ArrayBufferWriter<byte> line, long length, bool first)
    {
        if (length > _maxLineBytes)
        {
            var id = JsonRpcLine.IdFromPrefix(line.WrittenSpan);
            LogRefused(Logger, JsonRpcLine.InvalidRequest, "too large");
            await ReplyAsync(JsonRpcLine.InvalidRequest, id,
                $"Request too large: the line is {length:N0} bytes; the limit is {_maxLineBytes:N0} (--max-request-bytes). Send smaller arguments.").ConfigureAwait(false);
            return true;
        }

        var bytes = line.WrittenMemory;
        if (first && bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.Span.TrimEnd("\r\n\t "u8).IsEmpty)
        {
            return true;
        }

        var verdict = JsonRpcLine.Check(bytes.Span);
        if (!verdict.IsOk)
        {
            LogRefused(Logger, verdict.Code, verdict.Code == JsonRpcLine.ParseError ? "not JSON" : "not a JSON-RPC message");
            await ReplyAsync(verdict.Code, verdict.Id, verdict.Message).ConfigureAwait(false);
            return true;
        }

        await _pipe.Writer.WriteAsync(bytes).ConfigureAwait(false);
        var flushed = await _pipe.Writer.WriteAsync(Newline).ConfigureAwait(false);
        return !flushed.IsCompleted;
    }

    private async Task ReplyAsync(int code, RequestIdValue id, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + message.Length);
        // Relaxed escaping: the message is read by people too, and stdout is not HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            id.WriteTo(json, "id");
            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.Write(Newline);
        await WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> message)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stdout.WriteAsync(message).ConfigureAwait(false);
            await _stdout.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(LogLevel.Warning, "stdio: answered a malformed line with JSON-RPC error {Code} ({Reason})")]
    private static partial void LogRefused(ILogger logger, int code, string reason);

    /// <summary>
    /// The SDK's side of stdout: it writes a message, then a newline, then flushes (under its own lock); the bytes are
    /// collected and written at the flush, through the gate the error replies use.
    /// </summary>
    private sealed class GatedOutput(StdioFraming owner) : Stream
    {
        private readonly ArrayBufferWriter<byte> _pending = new(4096);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _pending.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _pending.Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.WrittenCount == 0)
            {
                return;
            }

            try
            {
                await owner.WriteAsync(_pending.WrittenMemory).ConfigureAwait(false);
            }
            finally
            {
                _pending.ResetWrittenCount();
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
