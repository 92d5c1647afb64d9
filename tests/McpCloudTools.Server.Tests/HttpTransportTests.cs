using System.Net;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

public sealed class HttpTransportTests
{
    [Theory]
    [InlineData(HttpTransportMode.StreamableHttp)]
    [InlineData(HttpTransportMode.Sse)]
    public async Task RestDisable_ChangesWhatAConnectedClientSees_AndNotifiesIt(HttpTransportMode mode)
    {
        await using var server = await TestServer.StartAsync();
        var (client, changes) = await server.ConnectAsync(mode);
        await using var _ = client;
        (await client.ListToolsAsync()).Select(t => t.Name).Should().Contain("test_item_list");

        using var response = await server.Http.PostAsync("/api/plugins/test/disable", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        await changes.NextAsync();
        (await client.ListToolsAsync()).Select(t => t.Name).Should().NotContain("test_item_list").And.Contain("other_thing_ping");
    }

    [Fact]
    public async Task A20260728Client_HearsListChanged_ThroughItsSubscriptionsListenStream()
    {
        await using var server = await TestServer.StartAsync();
        var (client, changes) = await server.ConnectAsync(HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var session = client;
        client.NegotiatedProtocolVersion.Should().Be("2026-07-28");
        client.ServerCapabilities.Tools!.ListChanged.Should().BeTrue();

        using var listen = new CancellationTokenSource();
        _ = client.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ToolsListChanged = true } },
            cancellationToken: listen.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        await WaitForListenerAsync(server);

        using var response = await server.Http.PostAsync("/api/plugins/test/disable", null);

        var notification = await changes.NextAsync();
        notification.Params!.ToString().Should().Contain("io.modelcontextprotocol/subscriptionId");
        (await client.ListToolsAsync()).Select(t => t.Name).Should().NotContain("test_item_list");
        await listen.CancelAsync();
    }

    [Fact]
    public async Task A20260728Client_HearsResourcesListChanged_OnAListenStreamThatAsksForIt()
    {
        await using var server = await TestServer.StartAsync();
        var resources = new ListChangedRecorder();
        var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri($"{server.BaseUrl}/mcp"), TransportMode = HttpTransportMode.StreamableHttp,
        }), new McpClientOptions { Handlers = new McpClientHandlers { NotificationHandlers = [new(NotificationMethods.ResourceListChangedNotification, resources.Record)] } });
        await using var session = client;
        client.NegotiatedProtocolVersion.Should().Be("2026-07-28");
        client.ServerCapabilities.Resources!.ListChanged.Should().BeTrue();
        (await client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).Should().Contain("test://{instance}/clusters/{cluster_id}");

        using var listen = new CancellationTokenSource();
        _ = client.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ResourcesListChanged = true } },
            cancellationToken: listen.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        await WaitForListenerAsync(server);

        using var response = await server.Http.PostAsync("/api/plugins/test/disable", null);

        var notification = await resources.NextAsync();
        notification.Method.Should().Be("notifications/resources/list_changed");
        notification.Params!.ToString().Should().Contain("io.modelcontextprotocol/subscriptionId");
        (await client.ListResourceTemplatesAsync()).Should().BeEmpty();
        await listen.CancelAsync();
    }

    private static async Task WaitForListenerAsync(TestServer server)
    {
        for (var i = 0; i < 100 && server.Subscriptions.Count == 0; i++)
        {
            await Task.Delay(20);
        }

        server.Subscriptions.Count.Should().Be(1);
    }

    [Fact]
    public async Task EveryConnectedSession_IsNotified()
    {
        await using var server = await TestServer.StartAsync();
        var (a, changesA) = await server.ConnectAsync(HttpTransportMode.StreamableHttp);
        var (b, changesB) = await server.ConnectAsync(HttpTransportMode.StreamableHttp);
        var (c, changesC) = await server.ConnectAsync(HttpTransportMode.Sse);
        await using var _ = a;
        await using var __ = b;
        await using var ___ = c;
        a.SessionId.Should().NotBeNullOrEmpty("stateful sessions are what make list_changed possible over HTTP");

        (await a.CallToolAsync("plugin_disable", new Dictionary<string, object?> { ["id"] = "other" })).IsError.Should().NotBe(true);

        await Task.WhenAll(changesA.NextAsync(), changesB.NextAsync(), changesC.NextAsync());
        (await b.ListToolsAsync()).Select(t => t.Name).Should().NotContain("other_thing_ping");
    }

    [Fact]
    public async Task ToolCalls_WorkOverHttp_WithTheSameGuardAsStdio()
    {
        await using var server = await TestServer.StartAsync();
        var (client, _) = await server.ConnectAsync(HttpTransportMode.StreamableHttp);
        await using var __ = client;

        (await client.CallToolAsync("test_item_list", new Dictionary<string, object?> { ["limit"] = 3 })).Text().Should().Contain("3 of 25 shown");
        var refused = await client.CallToolAsync("test_item_delete", new Dictionary<string, object?> { ["id"] = "1" });
        refused.IsError.Should().BeTrue();
        refused.Text().Should().Contain("--allow-write");
    }

    [Fact]
    public async Task Healthz_Answers()
    {
        await using var server = await TestServer.StartAsync();
        (await server.Http.GetStringAsync("/healthz")).Should().Be("ok");
    }
}
