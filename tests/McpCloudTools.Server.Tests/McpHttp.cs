using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace McpCloudTools.Server.Tests;

/// <summary>Raw Streamable HTTP, as any client (or a hostile page) sends it: headers under the test's control.</summary>
internal static class McpHttp
{
    public const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    public const string ToolsList = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    /// <summary>A POST to /mcp with the headers a Streamable HTTP client sends.</summary>
    public static HttpRequestMessage Post(string body, string? session = null, string? token = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return With(request, session, token, origin);
    }

    /// <summary>A DELETE of a session.</summary>
    public static HttpRequestMessage Delete(string session, string? token = null, string? origin = null) =>
        With(new HttpRequestMessage(HttpMethod.Delete, "/mcp"), session, token, origin);

    private static HttpRequestMessage With(HttpRequestMessage request, string? session, string? token, string? origin)
    {
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("Mcp-Protocol-Version", "2025-11-25");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    /// <summary>Sends and reads the whole answer.</summary>
    public static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }
    }

    /// <summary>Opens a session (initialize, then initialized) and returns its id.</summary>
    public static async Task<string> OpenSessionAsync(HttpClient http, string? token = null, string? origin = null)
    {
        var (status, body, response) = await SendAsync(http, Post(Initialize, token: token, origin: origin));
        status.Should().Be(HttpStatusCode.OK, body);
        var session = response.Headers.GetValues("Mcp-Session-Id").Single();
        var (ack, ackBody, _) = await SendAsync(http, Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", session, token, origin));
        ack.Should().Be(HttpStatusCode.Accepted, ackBody);
        return session;
    }
}
