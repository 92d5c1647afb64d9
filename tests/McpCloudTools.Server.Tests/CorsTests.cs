using System.Diagnostics;
using System.Net;
using System.Text;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Browsers on an <c>--allowed-origin</c> can use /mcp and /api (preflights answered without a token,
/// <c>Access-Control-Allow-Origin</c> on the answers); no other origin ever gets CORS headers.
/// </summary>
public sealed class CorsTests
{
    private const string Console = "https://console.example.com";
    private const string Token = "s3cret-token";

    private static HttpRequestMessage Preflight(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    [Theory]
    [InlineData("/mcp", "POST", "authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id")]
    [InlineData("/mcp", "DELETE", "authorization, mcp-session-id")]
    [InlineData("/api/plugins/test", "PATCH", "authorization, content-type")]
    public async Task APreflightFromAnAllowedOrigin_IsAnsweredWithoutAToken(string path, string method, string headers)
    {
        await using var server = await TestServer.StartAsync("--api-token", Token, "--allowed-origin", Console);
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        using var response = await anonymous.SendAsync(Preflight(path, Console, method, headers));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Header(response, "Access-Control-Allow-Origin").Should().Be(Console);
        Header(response, "Access-Control-Allow-Methods").Should().Contain(method);
        var allowed = Header(response, "Access-Control-Allow-Headers");
        foreach (var h in headers.Split(", "))
        {
            allowed.Should().ContainEquivalentOf(h);
        }
    }

    [Fact]
    public async Task AnswersToAnAllowedOrigin_CarryCorsHeaders_401sIncluded()
    {
        await using var server = await TestServer.StartAsync("--api-token", Token, "--allowed-origin", Console);

        var (status, _, response) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: Token, origin: Console));
        status.Should().Be(HttpStatusCode.OK);
        Header(response, "Access-Control-Allow-Origin").Should().Be(Console);
        Header(response, "Access-Control-Expose-Headers").Should().Contain("Mcp-Session-Id");

        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        (status, _, response) = await McpHttp.SendAsync(anonymous, McpHttp.Post(McpHttp.Initialize, origin: Console));
        status.Should().Be(HttpStatusCode.Unauthorized);
        Header(response, "Access-Control-Allow-Origin").Should().Be(Console, "the page must be able to read why it was refused");
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:3000")]
    [InlineData("https://console.example.com.evil.example")]
    public async Task OtherOrigins_NeverGetCorsHeaders(string origin)
    {
        await using var server = await TestServer.StartAsync("--allowed-origin", Console);

        using var preflight = await server.Http.SendAsync(Preflight("/mcp", origin, "POST", "content-type"));
        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Header(preflight, "Access-Control-Allow-Origin").Should().BeEmpty();

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/plugins");
        get.Headers.Add("Origin", origin);
        using var response = await server.Http.SendAsync(get);
        Header(response, "Access-Control-Allow-Origin").Should().BeEmpty();
    }

    /// <summary>The real thing: a page in Chromium calling the server cross-origin, as a browser-based MCP client does.</summary>
    [Fact]
    public async Task ABrowserPageOnAnAllowedOrigin_CanUseMcp_APageElsewhereCannot()
    {
        using var pages = new PageServer();
        var allowed = $"http://127.0.0.1:{pages.Port}";
        await using var server = await TestServer.StartAsync("--api-token", Token, "--allowed-origin", allowed);

        (await Chromium.DumpDomAsync($"{allowed}/client.html?server={Uri.EscapeDataString(server.BaseUrl)}"))
            .Should().Contain("status=200 session=yes tools=yes");
        // Same page, another origin (localhost is not 127.0.0.1 to a browser): the browser refuses to let it read anything.
        (await Chromium.DumpDomAsync($"http://localhost:{pages.Port}/client.html?server={Uri.EscapeDataString(server.BaseUrl)}"))
            .Should().Contain("blocked:");
    }

    /// <summary>Serves the one page of the browser test.</summary>
    private sealed class PageServer : IDisposable
    {
        private const string Page = """
            <!doctype html><html><body><pre id="out">not run</pre><script>
            var server = new URLSearchParams(location.search).get('server');
            function post(body, session) {
              var x = new XMLHttpRequest();
              x.open('POST', server + '/mcp', false);
              x.setRequestHeader('Content-Type', 'application/json');
              x.setRequestHeader('Accept', 'application/json, text/event-stream');
              x.setRequestHeader('Authorization', 'Bearer s3cret-token');
              if (session) { x.setRequestHeader('Mcp-Session-Id', session); x.setRequestHeader('Mcp-Protocol-Version', '2025-11-25'); }
              x.send(JSON.stringify(body));
              return x;
            }
            try {
              var init = post({jsonrpc: '2.0', id: 1, method: 'initialize',
                params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'page', version: '1'}}});
              var sid = init.getResponseHeader('Mcp-Session-Id');
              post({jsonrpc: '2.0', method: 'notifications/initialized'}, sid);
              var list = post({jsonrpc: '2.0', id: 2, method: 'tools/list'}, sid);
              document.getElementById('out').textContent = 'status=' + list.status + ' session=' + (sid ? 'yes' : 'no') +
                ' tools=' + (list.responseText.indexOf('plugins_list') >= 0 ? 'yes' : 'no');
            } catch (e) { document.getElementById('out').textContent = 'blocked: ' + e.name; }
            </script></body></html>
            """;

        private readonly HttpListener _listener = new();

        public PageServer()
        {
            Port = McpCloudTools.Testing.TestPorts.Free();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Prefixes.Add($"http://localhost:{Port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Port { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    var bytes = Encoding.UTF8.GetBytes(Page);
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        }

        public void Dispose() => _listener.Close();
    }
}

/// <summary>Headless Chromium (installed by .ci/run when missing): loads a page and prints its DOM once scripts ran.</summary>
internal static class Chromium
{
    public static async Task<string> DumpDomAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("mct-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                         $"--user-data-dir={profile}", "--dump-dom", url])
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(ServerProcess.Patience);
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }

            var dom = await stdout;
            dom.Should().Contain("<pre id=\"out\">", $"Chromium should load the page; stderr: {await stderr}");
            return dom;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
