using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpCloudTools.Sandbox;

/// <summary>One request as a service sees it: raw wire facts, the buffered body, the verified caller and region.</summary>
public sealed class SandboxRequest
{
    private QueryRequest? _query;

    internal SandboxRequest(HttpContext http, byte[] body, string requestId)
    {
        Http = http;
        Body = body;
        RequestId = requestId;
        RawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString);
    }

    /// <summary>The ASP.NET Core context (for headers and the response).</summary>
    public HttpContext Http { get; }

    /// <summary>The whole request body.</summary>
    public byte[] Body { get; }

    /// <summary>AWS-style request id, echoed in answers and errors.</summary>
    public string RequestId { get; }

    /// <summary>Path and query exactly as sent (percent-encoding intact).</summary>
    public string RawTarget { get; }

    /// <summary>The raw path without the query.</summary>
    public string RawPath => RawTarget.Split('?', 2)[0];

    /// <summary>HTTP method.</summary>
    public string Method => Http.Request.Method;

    /// <summary>The verified caller; null for the unsigned calls AWS allows.</summary>
    public SandboxPrincipal? Caller { get; internal set; }

    /// <summary>The request log's record of this request.</summary>
    public SandboxRequestRecord? Record { get; internal set; }

    /// <summary>Region from the credential scope (the sandbox's region for unsigned calls).</summary>
    public string Region { get; internal set; } = "";

    /// <summary>The service handling the request.</summary>
    public ISandboxService Service { get; internal set; } = null!;

    /// <summary>Query/EC2 parameters (form body plus URL query), parsed on first use.</summary>
    public QueryRequest Query => _query ??= QueryRequest.Parse(RawTarget, Body);

    /// <summary>First value of a request header, or null.</summary>
    public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>The caller, or an error when the call had to be signed.</summary>
    public SandboxPrincipal RequireCaller() => Caller
        ?? throw new SandboxApiException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
}
