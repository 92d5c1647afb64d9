using System.Text;
using McpCloudTools.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary>A span as the collector received it.</summary>
internal sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Scope,
    IReadOnlyDictionary<string, object> Attributes, int StatusCode, string StatusMessage, IReadOnlyDictionary<string, object> Resource)
{
    public object? this[string key] => Attributes.TryGetValue(key, out var v) ? v : null;
}

/// <summary>
/// An OTLP/HTTP collector in the test: Kestrel on a loopback port taking <c>POST /v1/traces</c> and
/// <c>/v1/metrics</c> as the OpenTelemetry exporter sends them (protobuf), keeping every payload's bytes and decoding
/// the spans with a small protobuf reader (the OTLP schema: ResourceSpans → ScopeSpans → Span).
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<(string Path, byte[] Body)> _payloads = [];

    private OtlpReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        OtlpReceiver? receiver = null;
        var port = TestPorts.Free();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            receiver!.Receive("/v1/" + signal, buffer.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        receiver = new OtlpReceiver(app, port);
        await app.StartAsync();
        return receiver;
    }

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Every payload received, as bytes.</summary>
    public IReadOnlyList<(string Path, byte[] Body)> Payloads
    {
        get
        {
            lock (_spans)
            {
                return [.. _payloads];
            }
        }
    }

    /// <summary>Waits until a span matches; fails the test with what arrived otherwise.</summary>
    public async Task<ReceivedSpan> WaitForSpanAsync(Func<ReceivedSpan, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + ServerProcess.Patience;
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the collector should receive {what}; it has: {string.Join(", ", Spans.Select(s => s.Name))}");
            await Task.Delay(100);
        }
    }

    public async Task WaitForPayloadAsync(string path)
    {
        var deadline = DateTime.UtcNow + ServerProcess.Patience;
        while (!Payloads.Any(p => p.Path == path))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the collector should receive {path}");
            await Task.Delay(100);
        }
    }

    private void Receive(string path, byte[] body)
    {
        var spans = path == "/v1/traces" ? DecodeTraces(body) : [];
        lock (_spans)
        {
            _payloads.Add((path, body));
            _spans.AddRange(spans);
        }
    }

    private static List<ReceivedSpan> DecodeTraces(byte[] body)
    {
        var result = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1).Select(f => f.Bytes!))
        {
            var resource = new Dictionary<string, object>();
            foreach (var field in Fields(resourceSpans))
            {
                if (field.Number == 1)
                {
                    foreach (var kv in Fields(field.Bytes!).Where(f => f.Number == 1))
                    {
                        var (k, v) = KeyValue(kv.Bytes!);
                        resource[k] = v;
                    }
                }
            }

            foreach (var scopeSpans in Fields(resourceSpans).Where(f => f.Number == 2).Select(f => f.Bytes!))
            {
                var scope = Fields(scopeSpans).Where(f => f.Number == 1).Select(f => Fields(f.Bytes!).Where(x => x.Number == 1).Select(x => Encoding.UTF8.GetString(x.Bytes!)).FirstOrDefault() ?? "")
                    .FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans).Where(f => f.Number == 2).Select(f => f.Bytes!))
                {
                    string traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
                    int kind = 0, statusCode = 0;
                    var attributes = new Dictionary<string, object>();
                    foreach (var f in Fields(span))
                    {
                        switch (f.Number)
                        {
                            case 1: traceId = Convert.ToHexStringLower(f.Bytes!); break;
                            case 2: spanId = Convert.ToHexStringLower(f.Bytes!); break;
                            case 4: parent = Convert.ToHexStringLower(f.Bytes!); break;
                            case 5: name = Encoding.UTF8.GetString(f.Bytes!); break;
                            case 6: kind = (int)f.Varint; break;
                            case 9:
                                var (k, v) = KeyValue(f.Bytes!);
                                attributes[k] = v;
                                break;
                            case 15:
                                foreach (var s in Fields(f.Bytes!))
                                {
                                    if (s.Number == 2) statusMessage = Encoding.UTF8.GetString(s.Bytes!);
                                    if (s.Number == 3) statusCode = (int)s.Varint;
                                }

                                break;
                        }
                    }

                    result.Add(new ReceivedSpan(traceId, spanId, parent, name, kind, scope, attributes, statusCode, statusMessage, resource));
                }
            }
        }

        return result;
    }

    private static (string Key, object Value) KeyValue(byte[] kv)
    {
        string key = "";
        object value = "";
        foreach (var f in Fields(kv))
        {
            if (f.Number == 1) key = Encoding.UTF8.GetString(f.Bytes!);
            if (f.Number == 2)
            {
                foreach (var any in Fields(f.Bytes!))
                {
                    value = any.Number switch
                    {
                        1 => Encoding.UTF8.GetString(any.Bytes!),
                        2 => any.Varint != 0,
                        3 => (long)any.Varint,
                        4 => BitConverter.Int64BitsToDouble((long)any.Varint),
                        _ => value,
                    };
                }
            }
        }

        return (key, value);
    }

    private readonly record struct Field(int Number, ulong Varint, byte[]? Bytes);

    // The protobuf wire format: varint keys, then a varint (0), 8 bytes (1), a length-prefixed run (2) or 4 bytes (5).
    private static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var key = Varint(data, ref i);
            var number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: fields.Add(new Field(number, Varint(data, ref i), null)); break;
                case 1: fields.Add(new Field(number, BitConverter.ToUInt64(data, i), null)); i += 8; break;
                case 2:
                    var length = (int)Varint(data, ref i);
                    fields.Add(new Field(number, 0, data[i..(i + length)]));
                    i += length;
                    break;
                case 5: fields.Add(new Field(number, BitConverter.ToUInt32(data, i), null)); i += 4; break;
                default: throw new FormatException($"wire type {key & 7} at {i}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
