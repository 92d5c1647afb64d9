using System.Net;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Stateful MCP sessions belong to the client that opened them, and how many there are is capped with a clear error,
/// never by closing a live client's session.
/// </summary>
public sealed class SessionTests
{
    [Fact]
    public async Task ASessionOpenedWithoutAToken_CannotBeUsedOrDeleted_FromAnotherClientIdentity()
    {
        await using var server = await TestServer.StartAsync();
        var session = await McpHttp.OpenSessionAsync(server.Http);

        // Without a token the identity is the loopback client and its browser origin: a page cannot take over a
        // session that a local agent opened, nor one page another's.
        var (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session, origin: "http://localhost:3000"));
        status.Should().Be(HttpStatusCode.Forbidden, body);
        body.Should().NotContain("plugins_list");
        (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Delete(session, origin: "http://localhost:3000"));
        status.Should().Be(HttpStatusCode.Forbidden, body);

        (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session));
        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("plugins_list", "the session survived and still serves its owner");
    }

    [Fact]
    public async Task WithTokens_ASessionIsBoundToTheTokenThatOpenedIt()
    {
        await using var server = await TestServer.StartAsync("--api-token", "alpha-token-0001", "--api-token", "beta-token-0002");
        var session = await McpHttp.OpenSessionAsync(server.Http, token: "alpha-token-0001");

        var (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session, token: "beta-token-0002"));
        status.Should().Be(HttpStatusCode.Forbidden, body);
        body.Should().NotContain("plugins_list");
        (status, _, _) = await McpHttp.SendAsync(server.Http, McpHttp.Delete(session, token: "beta-token-0002"));
        status.Should().Be(HttpStatusCode.Forbidden);
        (status, _, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session, token: "gamma-unknown"));
        status.Should().Be(HttpStatusCode.Unauthorized);

        (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session, token: "alpha-token-0001"));
        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("plugins_list");
        (status, _, _) = await McpHttp.SendAsync(server.Http, McpHttp.Delete(session, token: "alpha-token-0001"));
        status.Should().Be(HttpStatusCode.OK, "its owner may close it");
        (status, _, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.ToolsList, session, token: "alpha-token-0001"));
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SessionsPerClient_AreCapped_WithAClearError_AndNoLiveSessionIsEvicted()
    {
        await using var server = await TestServer.StartAsync("--max-sessions-per-client", "3");
        var (live, _) = await server.ConnectAsync(HttpTransportMode.StreamableHttp);
        await using var __ = live;
        var abandoned = new[] { await McpHttp.OpenSessionAsync(server.Http), await McpHttp.OpenSessionAsync(server.Http) };

        var (status, body, response) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize));

        status.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.Contains("Mcp-Session-Id").Should().BeFalse();
        body.Should().Contain("Too many open MCP sessions for this client: 3, the limit is 3 (--max-sessions-per-client)")
            .And.Contain("DELETE /mcp").And.Contain("--session-idle-seconds");
        (await live.ListToolsAsync()).Select(t => t.Name).Should().Contain("plugins_list", "a live session is never closed to make room");

        // Another client (here a browser origin on this machine) has slots of its own.
        await McpHttp.OpenSessionAsync(server.Http, origin: "http://localhost:3000");
        // Closing one frees its slot.
        (await McpHttp.SendAsync(server.Http, McpHttp.Delete(abandoned[0]))).Status.Should().Be(HttpStatusCode.OK);
        await McpHttp.OpenSessionAsync(server.Http);
    }

    [Fact]
    public async Task TheServerWideCap_HoldsForEveryClient()
    {
        await using var server = await TestServer.StartAsync("--api-token", "alpha-token-0001", "--api-token", "beta-token-0002",
            "--max-sessions", "2", "--max-sessions-per-client", "5");
        await McpHttp.OpenSessionAsync(server.Http, token: "alpha-token-0001");
        await McpHttp.OpenSessionAsync(server.Http, token: "alpha-token-0001");

        var (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: "beta-token-0002"));

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("Too many open MCP sessions on this server: 2, the limit is 2 (--max-sessions)");
    }

    [Fact]
    public async Task LegacySseConnections_CountAsSessions()
    {
        await using var server = await TestServer.StartAsync("--max-sessions-per-client", "1");
        var (sse, _) = await server.ConnectAsync(HttpTransportMode.Sse);
        await using var _ = sse;

        var (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize));

        status.Should().Be(HttpStatusCode.TooManyRequests, body);
        (await sse.ListToolsAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task ListenStreamsOf20260728Clients_CountAsSessions()
    {
        await using var server = await TestServer.StartAsync("--max-sessions-per-client", "1");
        var (client, _) = await server.ConnectAsync(HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var _ = client;
        using var listen = new CancellationTokenSource();
        var first = Listen(client, listen.Token);
        for (var i = 0; i < 200 && server.Subscriptions.Count == 0; i++)
        {
            await Task.Delay(20);
        }

        server.Subscriptions.Count.Should().Be(1);

        var second = async () => await Listen(client, CancellationToken.None);

        (await second.Should().ThrowAsync<ModelContextProtocol.McpProtocolException>()).Which.Message
            .Should().Contain("Too many open MCP sessions for this client: 1, the limit is 1 (--max-sessions-per-client)");
        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize))).Status.Should().Be(HttpStatusCode.TooManyRequests);
        await listen.CancelAsync();
        await first.ContinueWith(_ => { }, TaskScheduler.Default);
        for (var i = 0; i < 200 && server.Subscriptions.Count > 0; i++)
        {
            await Task.Delay(20);
        }

        await McpHttp.OpenSessionAsync(server.Http);
    }

    private static Task Listen(McpClient client, CancellationToken cancellationToken) =>
        client.SendRequestAsync<ModelContextProtocol.Protocol.SubscriptionsListenRequestParams, ModelContextProtocol.Protocol.EmptyResult>(
            ModelContextProtocol.Protocol.RequestMethods.SubscriptionsListen,
            new() { Notifications = new() { ToolsListChanged = true } }, cancellationToken: cancellationToken).AsTask();

    [Fact]
    public async Task IdleSessions_Expire_AndFreeTheirSlot()
    {
        await using var server = await TestServer.StartAsync("--session-idle-seconds", "1", "--max-sessions-per-client", "1");
        var session = await McpHttp.OpenSessionAsync(server.Http);
        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize))).Status.Should().Be(HttpStatusCode.TooManyRequests);

        // The SDK looks for idle sessions every 5 s; polling with new initializes leaves the old session untouched.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode status;
        do
        {
            await Task.Delay(500);
            status = (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize))).Status;
        }
        while (status == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        status.Should().Be(HttpStatusCode.OK, "the idle session was closed, and its slot freed");
        (await McpHttp.SendAsync(server.Http, McpHttp.Post("""{"jsonrpc":"2.0","id":3,"method":"ping"}""", session))).Status
            .Should().Be(HttpStatusCode.NotFound);
    }
}
