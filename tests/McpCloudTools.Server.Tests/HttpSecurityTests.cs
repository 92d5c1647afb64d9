using System.Diagnostics;
using System.Net;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

public sealed class HttpSecurityTests
{
    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:3000", HttpStatusCode.OK)]
    [InlineData("http://127.0.0.1:8080", HttpStatusCode.OK)]
    [InlineData("https://console.example.com", HttpStatusCode.OK)]
    public async Task BrowserOrigins_OtherThanLoopbackOrAllowed_AreRefused(string origin, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync("--allowed-origin", "https://console.example.com");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/plugins");
        request.Headers.Add("Origin", origin);

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task WithAToken_McpAndApiNeedIt_HealthzDoesNot()
    {
        await using var server = await TestServer.StartAsync("--api-token", "s3cret-token");
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        (await anonymous.GetAsync("/api/plugins")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/mcp", new StringContent("{}"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/sse")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Add("Authorization", "Bearer wrong");
        (await anonymous.GetAsync("/api/plugins")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Http.GetAsync("/api/plugins")).StatusCode.Should().Be(HttpStatusCode.OK);

        var (client, _) = await server.ConnectAsync(ModelContextProtocol.Client.HttpTransportMode.StreamableHttp, "s3cret-token");
        await using var __ = client;
        (await client.ListToolsAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task BindingBeyondLoopbackWithoutAToken_IsRefusedAtStart_SayingWhyAndWhatToDo()
    {
        var port = TestPorts.Free();
        var home = Directory.CreateTempSubdirectory("mct-bind-").FullName;
        try
        {
            var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(home, false,
                "--transport", "http", "--urls", $"http://0.0.0.0:{port}", "--state", "none");

            code.Should().Be(2);
            stderr.Should().Contain($"Refusing to listen on http://0.0.0.0:{port} without an API token or sign-in: anyone who can reach it could drive your AWS account. " +
                                    "Set --auth-issuer <your identity provider> for a team, --api-token <secret> (or MCPCLOUDTOOLS__APITOKEN) for one user, or bind to http://127.0.0.1.");
            stdout.Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080;http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    public void LoopbackDetection(string urls, bool loopback) => Http.ListenAddresses.Parse(urls).All(a => a.IsLoopback).Should().Be(loopback);
}
