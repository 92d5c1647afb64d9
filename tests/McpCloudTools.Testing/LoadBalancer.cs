using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Testing;

/// <summary>How <see cref="LoadBalancer"/> picks the replica for a request.</summary>
public enum Affinity
{
    /// <summary>Round robin, request by request: what a plain load balancer does, and all 2026-07-28 clients need.</summary>
    None,

    /// <summary>
    /// Sticky sessions learnt from the answers: the replica that answered with an <c>Mcp-Session-Id</c> (or a legacy
    /// SSE <c>endpoint</c> event's <c>sessionId</c>) gets every later request carrying it; the rest go round robin.
    /// What HAProxy's <c>stick store-response</c>, NGINX Plus' <c>sticky learn</c> or Envoy's stateful sessions do.
    /// </summary>
    LearnedSession,

    /// <summary>
    /// A hash of the <c>Mcp-Session-Id</c> header (empty when absent) picks the replica, as ingress-nginx's
    /// <c>upstream-hash-by: "$http_mcp_session_id"</c> does. The initialize request has no id yet, so the session is
    /// created on hash("")'s replica while its later requests go to hash(id)'s.
    /// </summary>
    SessionHeaderHash,
}

/// <summary>
/// A small HTTP load balancer for tests of several server replicas: Kestrel on a free loopback port, forwarding each
/// request to one of the upstream base URLs (method, path, query, headers, body) and streaming the answer back as it
/// comes (Server-Sent Events pass through unbuffered, event by event). A replica that refuses connections is skipped
/// for a few seconds and the request goes to the next one (request bodies are buffered, so nothing is sent twice);
/// once it answered with headers a failure is the client's (502 only before that). Counts requests per replica.
/// </summary>
public sealed partial class LoadBalancer : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(3);

    private readonly Uri[] _upstreams;
    private readonly long[] _requests;
    private readonly long[] _downUntil;
    private readonly ConcurrentDictionary<string, int> _sessions = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private WebApplication? _app;
    private long _next = -1;

    private LoadBalancer(IReadOnlyList<Uri> upstreams, Affinity affinity)
    {
        _upstreams = [.. upstreams];
        _requests = new long[_upstreams.Length];
        _downUntil = new long[_upstreams.Length];
        Affinity = affinity;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false, UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>How replicas are picked.</summary>
    public Affinity Affinity { get; }

    /// <summary>The balancer's base URL (<c>http://127.0.0.1:port</c>).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The upstream base URLs, in order.</summary>
    public IReadOnlyList<Uri> Upstreams => _upstreams;

    /// <summary>Requests forwarded to each upstream so far (index as in <see cref="Upstreams"/>).</summary>
    public IReadOnlyList<long> RequestsPerUpstream => [.. _requests.Select((_, i) => Interlocked.Read(ref _requests[i]))];

    /// <summary>Sessions learnt so far (<see cref="Affinity.LearnedSession"/>): session id to upstream index.</summary>
    public IReadOnlyDictionary<string, int> Sessions => _sessions;

    /// <summary>Starts a balancer in front of <paramref name="upstreams"/> (base URLs such as <c>http://127.0.0.1:5080</c>).</summary>
    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<string> upstreams, Affinity affinity = Affinity.None)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (upstreams.Count == 0)
        {
            throw new ArgumentException("At least one upstream.", nameof(upstreams));
        }

        var balancer = new LoadBalancer([.. upstreams.Select(u => new Uri(u.TrimEnd('/') + "/"))], affinity);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Run(balancer.ForwardAsync);
        await app.StartAsync();
        balancer._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        balancer.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return balancer;
    }

    /// <summary>The upstream index the balancer would pick for a request with this session id (or none).</summary>
    public int HashIndex(string? sessionId)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(sessionId ?? ""))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)_upstreams.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        byte[]? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, aborted);
            body = buffer.ToArray();
        }

        var sessionId = context.Request.Headers["Mcp-Session-Id"].FirstOrDefault() ?? context.Request.Query["sessionId"].FirstOrDefault();
        var first = Pick(sessionId);
        HttpResponseMessage? response = null;
        var chosen = first;
        List<string> refused = [];
        for (var attempt = 0; attempt < _upstreams.Length && response is null; attempt++)
        {
            chosen = attempt == 0 ? first : (first + attempt) % _upstreams.Length;
            if (attempt > 0 && Environment.TickCount64 < Interlocked.Read(ref _downUntil[chosen]))
            {
                continue;
            }

            using var request = BuildRequest(context, chosen, body);
            Interlocked.Increment(ref _requests[chosen]);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.TimedOut })
            {
                // Nothing reached that replica: mark it down for a moment and try the next one.
                Interlocked.Exchange(ref _downUntil[chosen], Environment.TickCount64 + (long)DownFor.TotalMilliseconds);
                refused.Add($"{_upstreams[chosen]}: {e.InnerException.Message}");
            }
        }

        if (response is null)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync($"No upstream answered: {string.Join("; ", refused)}", aborted);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            if (Affinity == Affinity.LearnedSession && response.Headers.TryGetValues("Mcp-Session-Id", out var ids))
            {
                _sessions[ids.First()] = chosen;
            }

            if (Affinity == Affinity.LearnedSession && sessionId is not null && HttpMethods.IsDelete(context.Request.Method) && response.IsSuccessStatusCode)
            {
                _sessions.TryRemove(sessionId, out _);
            }

            var streaming = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(aborted);
            await using var upstream = await response.Content.ReadAsStreamAsync(aborted);
            var chunk = new byte[16 * 1024];
            var learning = streaming && Affinity == Affinity.LearnedSession;
            var head = learning ? new StringBuilder() : null;
            try
            {
                int read;
                while ((read = await upstream.ReadAsync(chunk, aborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, read), aborted);
                    if (streaming)
                    {
                        // Every event reaches the client as soon as the replica sends it.
                        await context.Response.Body.FlushAsync(aborted);
                    }

                    if (head is not null)
                    {
                        head.Append(Encoding.UTF8.GetString(chunk, 0, read));
                        if (SseSessionId().Match(head.ToString()) is { Success: true } match)
                        {
                            _sessions[match.Groups[1].Value] = chosen;
                            head = null;
                        }
                        else if (head.Length > 8192)
                        {
                            head = null;
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // The client went away, or the replica did mid-answer: the client sees the stream end, as through any proxy.
                context.Abort();
            }
        }
    }

    private int Pick(string? sessionId)
    {
        switch (Affinity)
        {
            case Affinity.LearnedSession when sessionId is not null && _sessions.TryGetValue(sessionId, out var index):
                return index;
            case Affinity.SessionHeaderHash:
                return HashIndex(sessionId);
            default:
                for (var i = 0; i < _upstreams.Length; i++)
                {
                    var next = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_upstreams.Length);
                    if (Environment.TickCount64 >= Interlocked.Read(ref _downUntil[next]))
                    {
                        return next;
                    }
                }

                return (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_upstreams.Length);
        }
    }

    private HttpRequestMessage BuildRequest(HttpContext context, int upstream, byte[]? body)
    {
        var target = new Uri(_upstreams[upstream], context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString.Value);
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target) { Version = HttpVersion.Version11 };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var header in context.Request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        // As ingress-nginx does: the client's Host goes through, its address in X-Forwarded-For.
        request.Headers.Host = context.Request.Host.Value;
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        return request;
    }

    [GeneratedRegex(@"sessionId=([A-Za-z0-9_\-]+)")]
    private static partial Regex SseSessionId();
}
