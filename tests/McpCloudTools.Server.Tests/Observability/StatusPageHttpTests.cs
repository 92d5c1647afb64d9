using System.Net;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary>The status page's HTTP contract: what is served without the token, its headers, and the same-origin rule.</summary>
public sealed class StatusPageHttpTests
{
    private const string Token = "page-http-token-31f0";

    [Fact]
    public async Task PageFiles_AreServedWithoutTheToken_WithTheirPolicy_WhileTheDataNeedsIt()
    {
        await using var server = await TestServer.StartAsync("--api-token", Token);
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/status.js", "text/javascript"), ("/status.css", "text/css") })
        {
            using var response = await anonymous.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be(type);
            response.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'self';").And.Contain("frame-ancestors 'none'")
                .And.NotContain("unsafe-inline");
            response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        }

        (await anonymous.GetStringAsync("/")).Should().NotContain("<script>", "no inline script: the policy would block it");
        (await anonymous.GetAsync("/api/tools")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/audit")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await server.Http.GetStringAsync("/api/tools")).Should().Contain("\"access\":\"write\"").And.Contain("\"plugin\":\"-\"");
    }

    [Theory]
    [InlineData("http://mct.example", HttpStatusCode.OK)]
    [InlineData("http://other.example", HttpStatusCode.Forbidden)]
    [InlineData("https://mct.example", HttpStatusCode.Forbidden)]
    public async Task OwnOrigin_IsAccepted_AnyOtherRefused(string origin, HttpStatusCode expected)
    {
        // Served under a name of its own (with a token, the Host is free unless --allowed-host is set).
        await using var server = await TestServer.StartAsync("--api-token", Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tools");
        request.Headers.Host = "mct.example";
        request.Headers.Add("Origin", origin);
        (await server.Http.SendAsync(request)).StatusCode.Should().Be(expected);
    }
}
