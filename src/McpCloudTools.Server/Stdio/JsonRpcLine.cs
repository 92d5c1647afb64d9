using System.Text.Json;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Stdio;

/// <summary>
/// Checks one stdio line against the JSON-RPC 2.0 framing the SDK can handle, in one pass of
/// <see cref="Utf8JsonReader"/> (no allocation for a good line): valid JSON, one object (no batch array: MCP has no
/// batching since 2025-06-18), <c>"jsonrpc": "2.0"</c>, an id that is a string or an integer, a string method, and
/// nesting the SDK's parser accepts. A line that fails gets the error the JSON-RPC spec prescribes: <c>-32700</c>
/// (parse error, id null) or <c>-32600</c> (invalid request, with the id when it could be read).
/// </summary>
internal static class JsonRpcLine
{
    /// <summary>JSON-RPC parse error.</summary>
    public const int ParseError = -32700;

    /// <summary>JSON-RPC invalid request.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>
    /// The deepest nesting passed on: the SDK reads messages with System.Text.Json's default depth of 64, where a
    /// container at reader depth 64 fails; refused here first, with a message, rather than dropped there in silence.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Whether <paramref name="line"/> may go to the SDK; otherwise the error to answer.</summary>
    public static Verdict Check(ReadOnlySpan<byte> line)
    {
        var scan = new Scan();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth * 2 });
            scan.Run(ref reader);
        }
        catch (JsonException e)
        {
            return Verdict.Error(ParseError, RequestIdValue.None,
                $"Parse error: the line is not valid JSON ({Trim(e.Message)}). Send each JSON-RPC message as one JSON object on one line.");
        }

        return scan.Judge();
    }

    /// <summary>The id of an oversized line, if it appears (at the top level) in its first bytes.</summary>
    public static RequestIdValue IdFromPrefix(ReadOnlySpan<byte> prefix)
    {
        var scan = new Scan();
        try
        {
            var reader = new Utf8JsonReader(prefix, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxDepth * 2 }));
            scan.Run(ref reader);
        }
        catch (JsonException)
        {
        }

        return scan.IdKind == IdKind.Valid ? scan.Id : RequestIdValue.None;
    }

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).TrimEnd('.');
        return Fmt.Clip(text, 200);
    }

    private enum IdKind { Absent, Valid, Null, Invalid }

    /// <summary>What one pass over the tokens saw.</summary>
    private ref struct Scan
    {
        private JsonTokenType _top;
        private bool _tooDeep;
        private bool _jsonRpc;
        private bool _method;
        private bool _methodInvalid;
        private bool _result;
        private bool _error;
        private int _property;

        public IdKind IdKind;
        public RequestIdValue Id;

        public void Run(ref Utf8JsonReader reader)
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                var depth = reader.CurrentDepth;
                if (depth == 0 && _top == JsonTokenType.None)
                {
                    _top = token;
                }

                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && depth >= MaxDepth)
                {
                    _tooDeep = true;
                    return;
                }

                if (depth != 1 || _top != JsonTokenType.StartObject)
                {
                    continue;
                }

                if (token == JsonTokenType.PropertyName)
                {
                    _property = reader.ValueTextEquals("jsonrpc"u8) ? 1 : reader.ValueTextEquals("id"u8) ? 2 : reader.ValueTextEquals("method"u8) ? 3
                        : reader.ValueTextEquals("result"u8) ? 4 : reader.ValueTextEquals("error"u8) ? 5 : 0;
                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    continue;
                }

                switch (_property)
                {
                    case 1:
                        _jsonRpc = token == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                        break;
                    case 2:
                        ReadId(ref reader, token);
                        break;
                    case 3:
                        _method = true;
                        _methodInvalid = token != JsonTokenType.String;
                        break;
                    case 4:
                        _result = true;
                        break;
                    case 5:
                        _error = token != JsonTokenType.Null;
                        break;
                }

                _property = 0;
            }
        }

        private void ReadId(ref Utf8JsonReader reader, JsonTokenType token)
        {
            (IdKind, Id) = token switch
            {
                JsonTokenType.Number when reader.TryGetInt64(out var n) => (IdKind.Valid, RequestIdValue.Of(n)),
                JsonTokenType.String => TryString(ref reader),
                JsonTokenType.Null => (IdKind.Null, RequestIdValue.None),
                _ => (IdKind.Invalid, RequestIdValue.None),
            };
        }

        private static (IdKind, RequestIdValue) TryString(ref Utf8JsonReader reader)
        {
            try
            {
                return (IdKind.Valid, RequestIdValue.Of(reader.GetString()!));
            }
            catch (InvalidOperationException)
            {
                return (IdKind.Invalid, RequestIdValue.None);
            }
        }

        public readonly Verdict Judge()
        {
            var id = IdKind == IdKind.Valid ? Id : RequestIdValue.None;
            if (_tooDeep)
            {
                return Verdict.Error(InvalidRequest, id, $"Invalid request: the message nests more than {MaxDepth} levels deep. Flatten the arguments.");
            }

            switch (_top)
            {
                case JsonTokenType.StartObject:
                    break;
                case JsonTokenType.StartArray:
                    return Verdict.Error(InvalidRequest, RequestIdValue.None,
                        "Invalid request: batches (a JSON array of messages) are not supported; MCP has none since 2025-06-18. Send one JSON object per line.");
                default:
                    return Verdict.Error(InvalidRequest, RequestIdValue.None,
                        "Invalid request: a JSON-RPC message is a JSON object ({\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"...\"}), not a single value.");
            }

            if (IdKind == IdKind.Invalid)
            {
                return Verdict.Error(InvalidRequest, RequestIdValue.None, "Invalid request: 'id' must be a string or an integer.");
            }

            if (!_jsonRpc)
            {
                return Verdict.Error(InvalidRequest, id, "Invalid request: 'jsonrpc' must be \"2.0\".");
            }

            if (_method)
            {
                return _methodInvalid ? Verdict.Error(InvalidRequest, id, "Invalid request: 'method' must be a string.")
                    : IdKind == IdKind.Null ? Verdict.Error(InvalidRequest, RequestIdValue.None,
                        "Invalid request: 'id' must not be null; omit it to send a notification.")
                    : Verdict.Ok;
            }

            // A response to one of the server's requests (sampling, elicitation, roots): an id, and a result or an error.
            return (_result && IdKind == IdKind.Valid) || (_error && IdKind is IdKind.Valid or IdKind.Null)
                ? Verdict.Ok
                : Verdict.Error(InvalidRequest, id,
                    "Invalid request: a message needs a 'method' (a request or notification), or an 'id' with a 'result' or 'error' (a response).");
        }
    }
}

/// <summary>A JSON-RPC id as read from a line: a string, an integer, or none (null on the wire).</summary>
internal readonly record struct RequestIdValue(string? Text, long? Number)
{
    public static RequestIdValue None => default;

    public static RequestIdValue Of(string text) => new(text, null);

    public static RequestIdValue Of(long number) => new(null, number);

    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        if (Text is not null)
        {
            writer.WriteString(name, Text);
        }
        else if (Number is { } n)
        {
            writer.WriteNumber(name, n);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

/// <summary>A line's fate: passed on, or answered with an error.</summary>
internal readonly record struct Verdict(bool IsOk, int Code, RequestIdValue Id, string Message)
{
    public static Verdict Ok => new(true, 0, RequestIdValue.None, "");

    public static Verdict Error(int code, RequestIdValue id, string message) => new(false, code, id, message);
}
