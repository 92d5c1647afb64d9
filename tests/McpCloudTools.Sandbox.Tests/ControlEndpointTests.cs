using System.Net;
using System.Text;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// The unsigned control endpoint refuses what a web page could send it (DNS rebinding, cross-origin requests, form or
/// text/plain posts that need no preflight) and every value outside its range, with a 400 that says what is valid.
/// </summary>
public sealed class ControlEndpointTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private static readonly HttpClient Http = new();

    public Task InitializeAsync() => _sandbox.InitializeAsync();

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body, string contentType = "application/json",
        string? origin = null, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sandbox.Host.Endpoint, path))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACrossOriginTextPlainPost_IsRefused_AndChangesNothing()
    {
        // What a drive-by page can send without a preflight: a "simple" text/plain POST.
        var (status, body) = await PostAsync("/_sandbox/faults", """{"service":"logs","errorRate":1}""", "text/plain");
        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body.Should().Contain("Content-Type: application/json");

        (status, body) = await PostAsync("/_sandbox/faults", """{"service":"logs","errorRate":1}""", origin: "http://evil.example");
        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("http://evil.example");

        (status, _) = await PostAsync("/_sandbox/clock", """{"advanceSeconds":600}""", host: "evil.example");
        status.Should().Be((HttpStatusCode)421, "a DNS-rebinding page reaches the port under its own host name");

        _sandbox.Host.Faults.Snapshot().Should().BeEmpty();
    }

    [Fact]
    public async Task ALoopbackOriginWithJson_IsServed()
    {
        var (status, _) = await PostAsync("/_sandbox/faults", """{"service":"logs","latencyMs":5}""", origin: "http://localhost:3000");

        status.Should().Be(HttpStatusCode.OK);
        _sandbox.Host.Faults.Snapshot().Should().ContainKey("logs");
    }

    [Theory]
    [InlineData("/_sandbox/faults", """{"service":"lamda","errorRate":0.5}""", "Unknown service 'lamda': use one of")]
    [InlineData("/_sandbox/faults", """{"errorRate":0.5}""", "'service' is required: one of")]
    [InlineData("/_sandbox/faults", """{"service":"logs","latencyMs":-5}""", "'latencyMs' is -5; use 0 to 60000")]
    [InlineData("/_sandbox/faults", """{"service":"logs","errorRate":1.5}""", "'errorRate' is 1.5; use 0 to 1")]
    [InlineData("/_sandbox/faults", """{"service":"logs","throttleNext":-1}""", "'throttleNext' is -1")]
    [InlineData("/_sandbox/faults", """{"service":"logs","retryAfterSeconds":99999}""", "'retryAfterSeconds' is 99999; use 0 to 3600")]
    [InlineData("/_sandbox/clock", """{"advanceSeconds":1e18}""", "'advanceSeconds' is 1E+18; use 0 to")]
    [InlineData("/_sandbox/clock", """{"advanceSeconds":-60}""", "time never goes back")]
    [InlineData("/_sandbox/clock", """{"speed":-2}""", "'speed' is -2; use 0 to 86400")]
    public async Task BadValues_Are400s_SayingWhatIsValid(string path, string body, string expected)
    {
        var clockBefore = _sandbox.Host.Clock.UtcNow;

        var (status, text) = await PostAsync(path, body);

        status.Should().Be(HttpStatusCode.BadRequest);
        text.Should().Contain(expected);
        _sandbox.Host.Faults.Snapshot().Should().BeEmpty();
        _sandbox.Host.Clock.UtcNow.Should().BeCloseTo(clockBefore, TimeSpan.FromMinutes(1), "a refused jump moves nothing");
    }

    [Fact]
    public async Task UnknownServiceNames_ListTheEmulatedOnes()
    {
        var (_, text) = await PostAsync("/_sandbox/faults", """{"service":"lamda"}""");

        text.Should().Contain("lambda").And.Contain("logs").And.Contain("ec2").And.Contain("sts");
    }
}
