using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace McpCloudTools.Bench;

/// <summary>
/// Streamable HTTP throughput: each client opens its own stateful MCP session, then calls a cheap tool as fast as it
/// can for a fixed time. Requests are pre-built bytes so the client side costs as little as possible (it shares the
/// machine with the server).
/// </summary>
internal static class HttpThroughput
{
    public sealed record Result(long Calls, double PerSecond, double P50, double P99, long Errors);

    public static async Task<Result> MeasureAsync(ServerCommand server, int clients, TimeSpan duration)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = server.StartInfo(["--transport", "http", "--urls", url, "--state", "none", "--log-level", "Warning"]);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        foreach (var (k, v) in Environment.Safe())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUpAsync(http);
            var sessions = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => OpenSessionAsync(http)));
            var stop = DateTime.UtcNow + duration;
            var latencies = new List<double>[clients];
            var errors = new long[clients];
            var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"plugins_list","arguments":{}}}""");
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                latencies[c] = [];
                while (DateTime.UtcNow < stop)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var request = Post(body, sessions[c]);
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || !text.Contains("\"result\"", StringComparison.Ordinal))
                    {
                        errors[c]++;
                    }

                    latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToList();
            return new Result(all.Count, all.Count / elapsed, Stats.Percentile(all, 0.5), Stats.Percentile(all, 0.99), errors.Sum());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static HttpRequestMessage Post(byte[] body, string? session)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        return request;
    }

    private static async Task<string> OpenSessionAsync(HttpClient http)
    {
        var init = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""");
        using var response = await http.SendAsync(Post(init, null));
        response.EnsureSuccessStatusCode();
        var session = response.Headers.GetValues("Mcp-Session-Id").Single();
        var initialized = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var ack = await http.SendAsync(Post(initialized, session));
        return session;
    }

    private static async Task WaitUpAsync(HttpClient http)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var r = await http.GetAsync("/healthz");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the server did not come up");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
