using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Server.Http;

/// <summary>
/// Caps the stateful MCP sessions (Streamable HTTP sessions of clients that <c>initialize</c>, and legacy SSE
/// connections): at most <see cref="ServerOptions.MaxSessionsPerClient"/> per client identity and
/// <see cref="ServerOptions.MaxSessions"/> in all. A request that would open one more is refused with a clear error
/// (429 for the client's own limit, 503 for the server's), where the SDK alone would silently close the least recently
/// used idle session, possibly a live client's. A slot is reserved before the SDK creates the session (this
/// middleware) and handed to the session while it runs (<see cref="RunSessionAsync"/>, the SDK's session hook), so
/// it is freed when the session ends however it ends: <c>DELETE</c>, idle timeout, disconnect or shutdown.
/// A <c>subscriptions/listen</c> stream of an MCP 2026-07-28 client, held open for as long as the client likes, counts
/// as one too (<see cref="Limit"/>).
/// </summary>
public sealed partial class McpSessions(ServerOptions options, IHttpContextAccessor http, ILogger<McpSessions> logger)
{
    private static readonly object LeaseKey = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Open sessions and reservations, in all.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>The middleware, in front of the MCP endpoints.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!MayOpenSession(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var subject = ClientIdentity.Of(context);
        if (TryReserve(subject) is { } refusal)
        {
            LogRefused(logger, refusal.Status, refusal.Open, refusal.Limit);
            await WriteRefusalAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        var lease = new Lease(this, subject);
        context.Items[LeaseKey] = lease;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // No session was made of it (not an initialize, refused by the SDK): give the slot back.
            if (!lease.Claimed)
            {
                lease.Dispose();
            }
        }
    }

    /// <summary>
    /// The SDK's <c>RunSessionHandler</c>: runs a session holding the slot its first request reserved. Requests served
    /// without a session (MCP 2026-07-28) hold none.
    /// </summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        if (string.IsNullOrEmpty(server.SessionId))
        {
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Read before the first await: the request that opened a Streamable HTTP session ends while the session runs on.
        var lease = context.Items[LeaseKey] as Lease ?? ForceLease(ClientIdentity.Of(context));
        lease.Claimed = true;
        try
        {
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>
    /// Wraps the <c>subscriptions/listen</c> handler: a stream that waits for a list change (tools, resources) holds a slot for as
    /// long as it stays open, and one over the limits is refused (JSON-RPC invalid request, saying which limit).
    /// </summary>
    public McpRequestHandler<SubscriptionsListenRequestParams, EmptyResult> Limit(McpRequestHandler<SubscriptionsListenRequestParams, EmptyResult> listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return async (context, cancellationToken) =>
        {
            if (!McpCloudTools.Core.Mcp.ToolListSubscriptions.Wants(context.Params) || http.HttpContext is not { } request)
            {
                return await listen(context, cancellationToken).ConfigureAwait(false);
            }

            var subject = ClientIdentity.Of(request);
            if (TryReserve(subject) is { } refusal)
            {
                LogRefused(logger, refusal.Status, refusal.Open, refusal.Limit);
                throw new McpProtocolException(Explain(refusal), McpErrorCode.InvalidRequest);
            }

            using var lease = new Lease(this, subject);
            return await listen(context, cancellationToken).ConfigureAwait(false);
        };
    }

    /// <summary>
    /// Whether the request may open a session: a POST to /mcp without <c>Mcp-Session-Id</c> by a client on a protocol
    /// that has sessions (an <c>initialize</c>), or the GET that opens a legacy SSE stream.
    /// </summary>
    private static bool MayOpenSession(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method))
        {
            return path.Equals("/mcp/sse", StringComparison.OrdinalIgnoreCase);
        }

        if (!HttpMethods.IsPost(request.Method) || !(path.Equals("/mcp", StringComparison.OrdinalIgnoreCase) || path.Equals("/mcp/", StringComparison.OrdinalIgnoreCase)) ||
            request.Headers.ContainsKey("Mcp-Session-Id"))
        {
            return false;
        }

        // MCP 2026-07-28 and later have no sessions: the SDK serves those requests on their own.
        var version = request.Headers["Mcp-Protocol-Version"].ToString();
        return version.Length == 0 || string.CompareOrdinal(version, "2026-07-28") < 0;
    }

    private Refusal? TryReserve(string subject)
    {
        lock (_gate)
        {
            var mine = _perClient.GetValueOrDefault(subject);
            if (mine >= options.MaxSessionsPerClient)
            {
                return new Refusal(StatusCodes.Status429TooManyRequests, mine, options.MaxSessionsPerClient,
                    $"Too many open MCP sessions for this client: {mine}, the limit is {options.MaxSessionsPerClient} (--max-sessions-per-client).");
            }

            if (_total >= options.MaxSessions)
            {
                return new Refusal(StatusCodes.Status503ServiceUnavailable, _total, options.MaxSessions,
                    $"Too many open MCP sessions on this server: {_total}, the limit is {options.MaxSessions} (--max-sessions).");
            }

            _perClient[subject] = mine + 1;
            _total++;
            return null;
        }
    }

    private Lease ForceLease(string subject)
    {
        lock (_gate)
        {
            _perClient[subject] = _perClient.GetValueOrDefault(subject) + 1;
            _total++;
        }

        return new Lease(this, subject);
    }

    private void Release(string subject)
    {
        lock (_gate)
        {
            var left = _perClient.GetValueOrDefault(subject) - 1;
            if (left <= 0)
            {
                _perClient.Remove(subject);
            }
            else
            {
                _perClient[subject] = left;
            }

            _total--;
        }
    }

    private string Explain(Refusal refusal) =>
        refusal.Reason + " Close sessions you no longer use (DELETE /mcp with their Mcp-Session-Id; clients do so when they exit), " +
        $"or wait: a session unused for {Describe(TimeSpan.FromSeconds(options.SessionIdleSeconds))} is closed (--session-idle-seconds).";

    private Task WriteRefusalAsync(HttpContext context, Refusal refusal)
    {
        var message = Explain(refusal);
        context.Response.StatusCode = refusal.Status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.RetryAfter = "60";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteNull("id");
            json.WriteStartObject("error");
            json.WriteNumber("code", -32000);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).AsTask();
    }

    private static string Describe(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{t.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min" : $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";

    [LoggerMessage(LogLevel.Warning, "MCP session refused ({Status}): {Open} open, limit {Limit}")]
    private static partial void LogRefused(ILogger logger, int status, int open, int limit);

    private sealed record Refusal(int Status, int Open, int Limit, string Reason);

    /// <summary>One reserved slot; released once.</summary>
    private sealed class Lease(McpSessions owner, string subject) : IDisposable
    {
        private int _released;

        public bool Claimed { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(subject);
            }
        }
    }
}
