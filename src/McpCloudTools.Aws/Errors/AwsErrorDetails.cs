using System.Net;
using System.Text.Json;
using System.Xml;

namespace McpCloudTools.Aws;

/// <summary>The raw facts of one AWS error response, whatever protocol carried it.</summary>
/// <param name="StatusCode">HTTP status; null when no response arrived.</param>
/// <param name="Code">Cleaned-up error code, or null when the response carried none.</param>
/// <param name="Message">The service's message, or null.</param>
/// <param name="RequestId">AWS request id, or null.</param>
public sealed record AwsErrorDetails(HttpStatusCode? StatusCode, string? Code, string? Message, string? RequestId)
{
    /// <summary>
    /// Reads an error response the way the AWS SDKs do, for every protocol: restJson1 / JSON 1.1
    /// (<c>x-amzn-ErrorType</c> header, else body <c>code</c>, else <c>__type</c>), Query XML
    /// (<c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>) and EC2 XML (<c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>).
    /// </summary>
    public static AwsErrorDetails Parse(HttpStatusCode status, Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        var requestId = header("x-amzn-RequestId") ?? header("x-amz-request-id");
        var headerCode = header("x-amzn-ErrorType");
        string? code = null, message = null;
        var trimmed = TrimStart(body);
        if (trimmed.Length > 0 && trimmed[0] == (byte)'<')
        {
            (code, message, var xmlRequestId) = ParseXml(trimmed);
            requestId ??= xmlRequestId;
        }
        else if (trimmed.Length > 0 && trimmed[0] == (byte)'{')
        {
            (code, message) = ParseJson(trimmed);
        }
        return new AwsErrorDetails(status, CleanCode(headerCode ?? code), message, requestId);
    }

    /// <summary>
    /// Clean-up as the SDKs do: cut at the first <c>,</c>, then at the first <c>:</c>
    /// (<c>ResourceNotFoundException:http://internal.amazon.com/…</c>), then keep what follows <c>#</c>.
    /// </summary>
    public static string? CleanCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var value = code.Trim();
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0) value = value[..comma];
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) value = value[..colon];
        var hash = value.LastIndexOf('#');
        if (hash >= 0) value = value[(hash + 1)..];
        return value.Length == 0 ? null : value;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8)) body = body[3..];
        var i = 0;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return body[i..];
    }

    private static (string? Code, string? Message) ParseJson(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            string? code = null, type = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String) continue;
                var name = property.Name;
                if (name.Equals("code", StringComparison.OrdinalIgnoreCase)) code ??= property.Value.GetString();
                else if (name == "__type") type = property.Value.GetString();
                else if (name.Equals("message", StringComparison.OrdinalIgnoreCase) || name == "errorMessage")
                    message ??= property.Value.GetString();
            }
            return (code ?? type, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static (string? Code, string? Message, string? RequestId) ParseXml(ReadOnlySpan<byte> body)
    {
        string? code = null, message = null, requestId = null;
        try
        {
            using var stream = new MemoryStream(body.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            reader.MoveToContent();
            while (!reader.EOF)
            {
                // ReadElementContentAsString already moves to the next node, so only Read() when nothing matched.
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "Code" && code is null)
                    code = reader.ReadElementContentAsString();
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "Message" && message is null)
                    message = reader.ReadElementContentAsString();
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "RequestId" or "RequestID" or "requestId"
                         && requestId is null)
                    requestId = reader.ReadElementContentAsString();
                else
                    reader.Read();
            }
        }
        catch (XmlException)
        {
            // A truncated or non-XML body still leaves whatever was read before the fault.
        }
        return (code, message, requestId);
    }
}
