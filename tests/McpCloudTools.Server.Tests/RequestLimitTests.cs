using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>Request sizes are bounded on every HTTP endpoint, and the REST API's strings by what they are.</summary>
public sealed class RequestLimitTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/api/plugins")]
    [InlineData("/message")]
    public async Task ABodyOverTheLimit_IsA413_SayingTheLimit(string path)
    {
        await using var server = await TestServer.StartAsync();
        if (path == "/message")
        {
            path = await LegacySseMessagePathAsync(server);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = Json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}}"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        // The server answers before reading the body; without 100-continue the client would still be sending it.
        request.Headers.ExpectContinue = true;

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Request body too large: 5,242,").And.Contain("the limit is 4,194,304 (--max-request-bytes)");
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimit_IsRefusedToo()
    {
        await using var server = await TestServer.StartAsync();
        using var request = McpHttp.Post("");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}")));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Opens a legacy SSE stream and returns the /message path it announces.</summary>
    private static async Task<string> LegacySseMessagePathAsync(TestServer server)
    {
        var stream = await server.Http.GetStreamAsync("/sse");
        var reader = new StreamReader(stream);
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }

        line.Should().NotBeNull();
        return line!["data: ".Length..].Replace("/mcp/message", "/message", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBodyLimit_IsConfigurable()
    {
        await using var server = await TestServer.StartAsync("--max-request-bytes", "8388608");

        using var response = await server.Http.PostAsync("/api/plugins",
            Json($$"""{"type":"test","id":"big","displayName":"{{new string('d', 5 * 1024 * 1024)}}"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the body is read; the display name is what is refused");
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        detail.Should().Contain("'displayName' is 5,242,880 characters long").And.Contain("at most 100");
        detail.Length.Should().BeLessThan(400, "a bad value is echoed as a short prefix only");
    }

    [Theory]
    [InlineData("""{"type":"test","id":"t1","displayName":"__LONG__"}""", "'displayName' is 1,000 characters long")]
    [InlineData("""{"type":"test","id":"t1","displayName":"line\nbreak"}""", "'displayName' contains a control character")]
    [InlineData("""{"type":"test","id":"t1","config":{"region":"__LONG3000__"}}""", "'config.region' is 3,000 characters long")]
    [InlineData("""{"type":"test","id":"__LONG__"}""", "Invalid instance id 'iiiiii")]
    public async Task OverlongOrControlStrings_AreRefused_AndNotPersisted(string body, string expected)
    {
        await using var server = await TestServer.StartAsync();
        var json = body.Replace("__LONG3000__", new string('r', 3000), StringComparison.Ordinal)
            .Replace("\"id\":\"__LONG__\"", $"\"id\":\"{new string('i', 1000)}\"", StringComparison.Ordinal)
            .Replace("__LONG__", new string('d', 1000), StringComparison.Ordinal);

        using var response = await server.Http.PostAsync("/api/plugins", Json(json));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        detail.Should().Contain(expected);
        detail.Length.Should().BeLessThan(400);
        (await File.ReadAllTextAsync(server.StatePath)).Should().NotContain("ddddddddddddddddddddddddd").And.NotContain("t1");
    }

    [Fact]
    public async Task ClusterNamesRegionsAndConfig_AreBoundedToo()
    {
        await using var server = await TestServer.StartAsync();

        using var name = await server.Http.PostAsync("/api/clusters", Json($$"""{"id":"test:x","name":"{{new string('n', 500)}}","pluginType":"test"}"""));
        using var region = await server.Http.PostAsync("/api/clusters", Json($$"""{"name":"c","region":"{{new string('r', 500)}}","pluginType":"test"}"""));
        using var config = await server.Http.PostAsync("/api/clusters", Json("""{"name":"c","pluginType":"test","config":{"bad key!":"v"}}"""));

        name.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await name.Content.ReadAsStringAsync()).Should().Contain("'name' is 500 characters long");
        region.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        config.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await config.Content.ReadAsStringAsync()).Should().Contain("Invalid config key 'bad key!'");
    }
}
