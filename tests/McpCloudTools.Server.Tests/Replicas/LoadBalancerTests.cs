using System.Net;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests.Replicas;

/// <summary>
/// The load balancer that multi-replica tests put in front of several servers: round robin for stateless clients,
/// learnt session affinity for clients that initialize, streams passed through as they come, dead replicas skipped.
/// Each replica here is a real server (in-process) with its own state; nothing is shared between them yet.
/// </summary>
public sealed class LoadBalancerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RoundRobin_SpreadsAStatelessClientOverEveryReplica()
    {
        await using var replicas = await Replicas.StartAsync(3);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls);
        var (client, _) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var _ = client;

        for (var i = 0; i < 9; i++)
        {
            var result = await client.CallToolAsync("plugins_list");
            result.IsError.Should().NotBe(true);
        }

        client.SessionId.Should().BeNull("a 2026-07-28 client has no session, so any replica serves it");
        balancer.RequestsPerUpstream.Should().AllSatisfy(n => n.Should().BeGreaterThanOrEqualTo(3));
    }

    [Fact]
    public async Task WithoutAffinity_AClientThatInitializes_LosesItsSessionOnTheNextReplica()
    {
        await using var replicas = await Replicas.StartAsync(2);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls);
        using var http = new HttpClient { BaseAddress = new Uri(balancer.BaseUrl) };

        var (status, body, response) = await McpHttp.SendAsync(http, McpHttp.Post(McpHttp.Initialize));
        status.Should().Be(HttpStatusCode.OK, body);
        var session = response.Headers.GetValues("Mcp-Session-Id").Single();
        (status, body, _) = await McpHttp.SendAsync(http, McpHttp.Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", session));

        // Round robin sent initialize to one replica and this request to the other, which never saw the session:
        // the SDK's 404, on which a client starts over.
        status.Should().Be(HttpStatusCode.NotFound, body);
        body.Should().Contain("Session not found");
        balancer.RequestsPerUpstream.Should().Equal(1, 1);
    }

    [Fact]
    public async Task LearnedAffinity_KeepsAnInitializeClientOnItsReplica_AndItsNotificationsStreamThrough()
    {
        await using var replicas = await Replicas.StartAsync(3);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls, Affinity.LearnedSession);
        var (client, changes) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: "2025-11-25");
        await using var _ = client;

        for (var i = 0; i < 6; i++)
        {
            (await client.ListToolsAsync()).Select(t => t.Name).Should().Contain("plugins_list");
        }

        client.SessionId.Should().NotBeNull();
        var home = balancer.Sessions[client.SessionId!];

        // A change on the replica that holds the session reaches the client over its GET stream, through the balancer.
        (await replicas[home].Http.PostAsync("/api/plugins/test/disable", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await changes.NextAsync(Patience);
        (await client.ListToolsAsync()).Select(t => t.Name).Should().NotContain("test_item_list");
    }

    [Fact]
    public async Task LegacySse_TheEndpointEventArrivesWhileTheStreamStaysOpen_AndMessagesReachItsReplica()
    {
        await using var replicas = await Replicas.StartAsync(2);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls, Affinity.LearnedSession);

        // Read by hand: the first event must arrive though the answer never ends (a buffering proxy would hold it).
        using var http = new HttpClient { BaseAddress = new Uri(balancer.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sse");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var lines = new List<string>();
        while (!lines.Any(l => l.StartsWith("data:", StringComparison.Ordinal)))
        {
            lines.Add(await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("The stream ended."));
        }

        lines.Should().Contain("event: endpoint");
        lines.Last().Should().Contain("message?sessionId=");

        // And a whole legacy SSE client works through it: its POSTs follow its stream to the same replica.
        var (client, _) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.Sse, protocolVersion: "2025-11-25");
        await using var _ = client;
        for (var i = 0; i < 4; i++)
        {
            (await client.CallToolAsync("plugins_list")).IsError.Should().NotBe(true);
        }
    }

    [Fact]
    public async Task SessionHeaderHash_RoutesByTheHeaderAlone_SoANewSessionIsCreatedWhereTheEmptyKeyHashes()
    {
        await using var replicas = await Replicas.StartAsync(3);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls, Affinity.SessionHeaderHash);
        using var http = new HttpClient { BaseAddress = new Uri(balancer.BaseUrl) };

        foreach (var id in new[] { "", "a1b2c3", "session-2", "zz" })
        {
            var before = balancer.RequestsPerUpstream;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            if (id.Length > 0)
            {
                request.Headers.Add("Mcp-Session-Id", id);
            }

            (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
            var after = balancer.RequestsPerUpstream;
            Enumerable.Range(0, 3).Where(i => after[i] != before[i]).Should().Equal(balancer.HashIndex(id));
        }
    }

    [Fact]
    public async Task ADeadReplica_IsSkipped_AndEveryRequestIsStillServed()
    {
        await using var replicas = await Replicas.StartAsync(3);
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls);
        await replicas.StopAsync(1);
        var (client, _) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var _ = client;

        for (var i = 0; i < 12; i++)
        {
            (await client.CallToolAsync("plugins_list")).IsError.Should().NotBe(true);
        }

        balancer.RequestsPerUpstream[0].Should().BeGreaterThan(0);
        balancer.RequestsPerUpstream[2].Should().BeGreaterThan(0);
    }

    /// <summary>Several real servers in this process, each on its own port with its own state file.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        private readonly List<TestServer?> _servers;

        private Replicas(List<TestServer?> servers) => _servers = servers;

        public TestServer this[int index] => _servers[index]!;

        public List<string> Urls { get; private init; } = [];

        public static async Task<Replicas> StartAsync(int count)
        {
            var servers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestServer.StartAsync()));
            return new Replicas([.. servers]) { Urls = [.. servers.Select(s => s.BaseUrl)] };
        }

        public async Task StopAsync(int index)
        {
            await _servers[index]!.DisposeAsync();
            _servers[index] = null;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in _servers.OfType<TestServer>())
            {
                await server.DisposeAsync();
            }
        }
    }
}
