namespace McpCloudTools.Server.Http;

/// <summary>
/// The request body limit (<see cref="ServerOptions.MaxRequestBytes"/>) is Kestrel's <c>MaxRequestBodySize</c>, on every
/// endpoint; this answers a body announced as too large up front, with a message saying the limit and how to
/// raise it, where Kestrel's own 413 is empty. A chunked body over the limit still fails when read.
/// </summary>
public sealed class BodyLimit(ServerOptions options)
{
    /// <summary>The middleware.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return context.Request.ContentLength is { } length && length > options.MaxRequestBytes
            ? TypedResults.Problem($"Request body too large: {length:N0} bytes; the limit is {options.MaxRequestBytes:N0} (--max-request-bytes). Send less per request.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large").ExecuteAsync(context)
            : next(context);
    }
}
