using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches the tokenless loopback server
/// with <c>Host: evil.example</c> and no Origin header on its GETs. Only loopback names and configured ones are served.
/// </summary>
public sealed class HostHeaderTests
{
    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(TestServer server, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // /sse streams: read the headers only.
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK && path.EndsWith("sse", StringComparison.Ordinal) ? "" : await response.Content.ReadAsStringAsync(cts.Token));
    }

    [Theory]
    [InlineData("/api/plugins")]
    [InlineData("/api/status")]
    [InlineData("/api/clusters")]
    [InlineData("/sse")]
    public async Task ARebindingHostName_IsRefused_WithoutAToken(string path)
    {
        await using var server = await TestServer.StartAsync();

        var (status, body) = await GetAsync(server, path, "evil.example");

        status.Should().Be(HttpStatusCode.MisdirectedRequest);
        body.Should().Contain("Host 'evil.example' is not served here").And.Contain("--allowed-host").And.NotContain("\"id\":\"test\"");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("127.0.0.2")]
    public async Task LoopbackHostNames_AreServed(string host)
    {
        await using var server = await TestServer.StartAsync();

        var (status, _) = await GetAsync(server, "/api/plugins", host.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AConfiguredHostName_IsServed_WithAnyPortOrTheOneGiven()
    {
        await using var server = await TestServer.StartAsync("--allowed-host", "mcp.example.com", "--allowed-host", "tools.example.com:8443");

        (await GetAsync(server, "/api/plugins", "mcp.example.com")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(server, "/api/plugins", "MCP.example.com:9000")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(server, "/api/plugins", "tools.example.com:8443")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(server, "/api/plugins", "tools.example.com:9000")).Status.Should().Be(HttpStatusCode.MisdirectedRequest);
        (await GetAsync(server, "/api/plugins", "evil.example")).Status.Should().Be(HttpStatusCode.MisdirectedRequest);
    }

    [Fact]
    public async Task WithAToken_HostsAreCheckedOnlyWhenConfigured()
    {
        await using (var open = await TestServer.StartAsync("--api-token", "s3cret-token"))
        {
            (await GetAsync(open, "/api/plugins", "mcp.internal.example")).Status.Should().Be(HttpStatusCode.OK, "a token already stops a rebinding page");
        }

        await using var strict = await TestServer.StartAsync("--api-token", "s3cret-token", "--allowed-host", "mcp.example.com");
        (await GetAsync(strict, "/api/plugins", "mcp.internal.example")).Status.Should().Be(HttpStatusCode.MisdirectedRequest);
        (await GetAsync(strict, "/api/plugins", "mcp.example.com")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task McpPosts_AreCheckedToo_AndHealthzIsNot()
    {
        await using var server = await TestServer.StartAsync();
        using var post = McpHttp.Post(McpHttp.Initialize);
        post.Headers.Host = "evil.example";

        using var response = await server.Http.SendAsync(post);

        response.StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(421);
        (await GetAsync(server, "/healthz", "evil.example")).Status.Should().Be(HttpStatusCode.OK, "a probe reveals nothing");
    }
}
