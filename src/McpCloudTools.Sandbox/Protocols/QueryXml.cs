using System.Xml;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox;

/// <summary>Writes successful Query and EC2 answers with the envelope and request id clients expect.</summary>
public static class QueryXml
{
    /// <summary>EC2's XML namespace (API 2016-11-15).</summary>
    public const string Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /// <summary>
    /// A Query answer: <c>&lt;{Action}Response xmlns&gt;&lt;{Action}Result&gt;…&lt;/{Action}Result&gt;
    /// &lt;ResponseMetadata&gt;&lt;RequestId&gt;</c>.
    /// </summary>
    public static Task WriteQueryAsync(SandboxRequest request, string action, string xmlNamespace,
        Action<XmlWriter> writeResult, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writeResult);
        var body = SandboxErrors.Xml(w =>
        {
            w.WriteStartElement(action + "Response", xmlNamespace);
            w.WriteStartElement(action + "Result");
            writeResult(w);
            w.WriteEndElement();
            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", request.RequestId);
            w.WriteEndElement();
            w.WriteEndElement();
        });
        return WriteAsync(request.Http, "text/xml", body, cancellationToken);
    }

    /// <summary>An EC2 answer: <c>&lt;{Action}Response xmlns&gt;&lt;requestId&gt;…</c> then the content.</summary>
    public static Task WriteEc2Async(SandboxRequest request, string action, Action<XmlWriter> writeContent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writeContent);
        var body = SandboxErrors.Xml(w =>
        {
            w.WriteStartElement(action + "Response", Ec2Namespace);
            w.WriteElementString("requestId", request.RequestId);
            writeContent(w);
            w.WriteEndElement();
        });
        return WriteAsync(request.Http, "text/xml;charset=UTF-8", body, cancellationToken);
    }

    private static Task WriteAsync(HttpContext http, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = contentType;
        return http.Response.Body.WriteAsync(body, cancellationToken).AsTask();
    }
}
