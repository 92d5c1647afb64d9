using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

public sealed class RestApiTests
{
    [Fact]
    public async Task PluginTypes_ShowVersionsToolsAndConfigKeys()
    {
        await using var server = await TestServer.StartAsync();
        var types = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugin-types");
        var test = types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "test");
        test.GetProperty("version").GetString().Should().Be("1.2.3");
        test.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).Should().Contain(["test_item_list", "test_item_delete"]);
        test.GetProperty("configKeys").EnumerateArray().Select(k => k.GetProperty("name").GetString()).Should().Equal("region", "items");
    }

    [Fact]
    public async Task PluginInstances_CanBeCreatedReadUpdatedToggledAndDeleted()
    {
        await using var server = await TestServer.StartAsync();
        var create = await server.Http.PostAsJsonAsync("/api/plugins", new { type = "test", id = "test-eu", displayName = "EU", config = new { region = "eu-west-1" } });
        create.StatusCode.Should().Be(HttpStatusCode.Created);
        create.Headers.Location!.ToString().Should().Be("/api/plugins/test-eu");

        var got = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugins/test-eu");
        got.GetProperty("config").GetProperty("region").GetString().Should().Be("eu-west-1");
        got.GetProperty("typeVersion").GetString().Should().Be("1.2.3");

        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/plugins/test-eu") { Content = JsonContent.Create(new { config = new { region = "eu-central-1" } }) };
        var patched = await (await server.Http.SendAsync(patch)).Content.ReadFromJsonAsync<JsonElement>();
        patched.GetProperty("config").GetProperty("region").GetString().Should().Be("eu-central-1");
        patched.GetProperty("configVersion").GetInt32().Should().Be(2);

        (await server.Http.PostAsync("/api/plugins/test-eu/disable", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var list = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugins");
        list.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "test-eu").GetProperty("enabled").GetBoolean().Should().BeFalse();

        (await server.Http.DeleteAsync("/api/plugins/test-eu")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await server.Http.GetAsync("/api/plugins/test-eu")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        File.ReadAllText(server.StatePath).Should().NotContain("test-eu", "every change is persisted");
    }

    [Theory]
    [InlineData("POST", "/api/plugins", """{"type":"nope"}""", 400, "Unknown plugin type 'nope'")]
    [InlineData("POST", "/api/plugins", """{"type":"test","id":"test"}""", 409, "already exists")]
    [InlineData("POST", "/api/plugins", """{"id":"x"}""", 400, "'type' is required")]
    [InlineData("POST", "/api/plugins", """{"type": """, 400, "as JSON")]
    [InlineData("POST", "/api/plugins/ghost/enable", "", 404, "No plugin instance 'ghost'")]
    [InlineData("DELETE", "/api/clusters/ghost", "", 404, "No cluster 'ghost'")]
    [InlineData("POST", "/api/clusters", """{"name":"c","pluginType":"test","instanceId":"other"}""", 400, "is a other instance")]
    public async Task Errors_AreProblemDetails_WithTheRightStatus(string method, string path, string body, int status, string detail)
    {
        await using var server = await TestServer.StartAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("detail").GetString().Should().Contain(detail);
    }

    [Fact]
    public async Task Clusters_CanBeRegisteredActivatedAndRemoved()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.Http.PostAsJsonAsync("/api/clusters", new { name = "lab", region = "us-west-2", pluginType = "test", config = new { queue = "q" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString().Should().Be("test:lab");

        (await server.Http.PostAsync("/api/clusters/test:lab/activate", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ClustersAsync(server)).Should().Contain("test:lab", true);

        (await server.Http.DeleteAsync("/api/clusters/test:lab")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ClustersAsync(server)).Keys.Should().NotContain("test:lab");
    }

    [Fact]
    public async Task DiscoveredClusters_CanBeActivatedAndAreListed_BeforeAnyMcpCall()
    {
        await using var server = await TestServer.StartAsync();

        (await server.Http.PostAsync("/api/clusters/test:beta-test/activate", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ClustersAsync(server)).Should().Equal(new Dictionary<string, bool> { ["test:alpha-test"] = false, ["test:beta-test"] = true });
    }

    [Fact]
    public async Task ClusterIdsWithASlash_AreRemovedAndActivatedThroughTheSameRouteShape_AsIsOrEscaped()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var id in new[] { "test:dev/x", "test:dev/y" })
        {
            (await server.Http.PostAsJsonAsync("/api/clusters", new { id, name = id[5..].Replace('/', '-'), pluginType = "test" }))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await server.Http.PostAsync("/api/clusters/test:dev/x/activate", null)).StatusCode.Should().Be(HttpStatusCode.OK, "a '/' sent as is");
        (await ClustersAsync(server))["test:dev/x"].Should().BeTrue();
        (await server.Http.PostAsync("/api/clusters/test:dev%2Fy/activate", null)).StatusCode.Should().Be(HttpStatusCode.OK, "a '/' sent as %2F");
        (await ClustersAsync(server))["test:dev/y"].Should().BeTrue();

        (await server.Http.DeleteAsync("/api/clusters/test:dev/x")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await server.Http.DeleteAsync("/api/clusters/test:dev%2Fy")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ClustersAsync(server)).Keys.Should().NotContain(["test:dev/x", "test:dev/y"]);

        using var other = await server.Http.PostAsync("/api/clusters/test:dev/x/start", null);
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.Content.ReadAsStringAsync()).Should().Contain("POST /api/clusters/{id}/activate");
    }

    [Fact]
    public async Task ClusterList_ReportsDiscoveryFailures_BesideTheClusters_AsClustersListDoes()
    {
        await using var server = await TestServer.StartAsync();
        (await server.Http.PostAsJsonAsync("/api/plugins", new { type = "test", id = "test-down", config = new { region = "unreachable" } }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var list = await server.Http.GetFromJsonAsync<JsonElement>("/api/clusters");

        list.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Contain("test:alpha-test");
        var failure = list.GetProperty("discoveryFailures").EnumerateArray().Should().ContainSingle().Subject;
        failure.GetProperty("instance").GetString().Should().Be("test-down");
        failure.GetProperty("error").GetString().Should().Be("Region 'unreachable' does not answer (discovery).");
        var (client, _) = await server.ConnectAsync(ModelContextProtocol.Client.HttpTransportMode.StreamableHttp);
        await using (client)
        {
            (await client.CallToolAsync("clusters_list")).Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Single().Text
                .Should().Contain("test-down: discovery failed: Region 'unreachable' does not answer (discovery).");
        }
    }

    /// <summary>GET /api/clusters: id → active.</summary>
    private static async Task<Dictionary<string, bool>> ClustersAsync(TestServer server) =>
        (await server.Http.GetFromJsonAsync<JsonElement>("/api/clusters")).GetProperty("clusters").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("active").GetBoolean());

    [Fact]
    public async Task Status_ShowsEachInstancesHealthAndSummary()
    {
        await using var server = await TestServer.StartAsync();
        await server.Http.PostAsJsonAsync("/api/plugins", new { type = "test", id = "test-bad", config = new { region = "broken" } });

        var status = await server.Http.GetFromJsonAsync<JsonElement>("/api/status");

        status.GetProperty("allowWrite").GetBoolean().Should().BeFalse();
        var instances = status.GetProperty("instances").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        instances["test"].GetProperty("health").GetProperty("status").GetString().Should().Be("healthy");
        instances["test"].GetProperty("status").GetString().Should().Be("3 items, 1 broken");
        instances["test"].GetProperty("counts").GetProperty("broken").GetInt64().Should().Be(1);
        instances["test-bad"].GetProperty("health").GetProperty("status").GetString().Should().Be("unhealthy");
        instances["test-bad"].GetProperty("health").GetProperty("message").GetString().Should().Contain("set another region");
    }
}
