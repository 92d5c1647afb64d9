using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox;

/// <summary>Writes an AWS error exactly as each protocol carries it, so clients parse sandbox errors as real ones.</summary>
public static class SandboxErrors
{
    /// <summary>Writes <paramref name="error"/> in <paramref name="protocol"/>'s shape.</summary>
    public static Task WriteAsync(HttpContext http, SandboxProtocol protocol, SandboxApiException error, string requestId,
        string? queryNamespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        var response = http.Response;
        response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        byte[] body;
        switch (protocol)
        {
            case SandboxProtocol.Query:
                response.ContentType = "text/xml";
                body = Xml(w =>
                {
                    w.WriteStartElement("ErrorResponse", queryNamespace ?? "");
                    w.WriteStartElement("Error");
                    w.WriteElementString("Type", error.FaultType);
                    w.WriteElementString("Code", XmlSafe(error.Code));
                    w.WriteElementString("Message", XmlSafe(error.Message));
                    w.WriteEndElement();
                    w.WriteElementString("RequestId", requestId);
                    w.WriteEndElement();
                });
                break;
            case SandboxProtocol.Ec2Query:
                response.ContentType = "text/xml;charset=UTF-8";
                body = Xml(w =>
                {
                    w.WriteStartElement("Response");
                    w.WriteStartElement("Errors");
                    w.WriteStartElement("Error");
                    w.WriteElementString("Code", XmlSafe(error.Code));
                    w.WriteElementString("Message", XmlSafe(error.Message));
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteElementString("RequestID", requestId);
                    w.WriteEndElement();
                });
                break;
            case SandboxProtocol.SlurmRest:
                response.ContentType = "application/json";
                body = SlurmJson(error);
                break;
            case SandboxProtocol.Json11:
                response.ContentType = "application/x-amz-json-1.1";
                response.Headers["x-amzn-RequestId"] = requestId;
                body = Json(error.Code, error.Message);
                break;
            default:
                response.ContentType = "application/json";
                response.Headers["x-amzn-RequestId"] = requestId;
                // The real services add the coral namespace after a colon; clients must cut it off. An error without a
                // code (Batch's bare 429 throttling) carries no type at all, only its message.
                if (error.Code.Length > 0)
                    response.Headers["x-amzn-ErrorType"] = error.Code + ":http://internal.amazon.com/coral/com.amazon.coral.service/";
                body = Json(null, error.Message);
                break;
        }
        return response.Body.WriteAsync(body, cancellationToken).AsTask();
    }

    /// <summary>
    /// <paramref name="text"/> with every character XML 1.0 cannot carry (NUL and most control characters, lone
    /// surrogates) replaced by U+FFFD. An error message that echoes a caller's malformed id must still be a well-formed
    /// 4xx answer: an exception here would turn it into a 500, which clients retry.
    /// </summary>
    public static string XmlSafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? safe = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var ok = pair || (!char.IsSurrogate(c) && XmlConvert.IsXmlChar(c));
            if (!ok) (safe ??= new StringBuilder(text, 0, i, text.Length)).Append('\uFFFD');
            else
            {
                safe?.Append(c);
                if (pair)
                {
                    safe?.Append(text[i + 1]);
                    i++;
                }
            }
        }
        return safe?.ToString() ?? text;
    }

    // slurmrestd's shape: the error string, Slurm's number, and what failed.
    private static byte[] SlurmJson(SandboxApiException error)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("description", error.Message);
            writer.WriteNumber("error_number", error.ErrorNumber ?? 9000);
            writer.WriteString("error", error.Code);
            writer.WriteString("source", "slurmrestd");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartArray("warnings");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] Json(string? type, string message)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (type is not null) writer.WriteString("__type", type);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Serializes an XML document written by <paramref name="write"/> (UTF-8, with declaration).</summary>
    public static byte[] Xml(Action<XmlWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }
        return stream.ToArray();
    }
}
