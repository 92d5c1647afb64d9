using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;
using Xunit.Abstractions;

namespace McpCloudTools.Server.Tests.Replicas;

/// <summary>
/// Three real server processes on loopback sharing one real PostgreSQL (each test its own database), behind the test
/// load balancer: what a team deployment is. Changes made through any replica reach every replica and their clients;
/// concurrent admins lose no update; a replica killed and restarted catches up; a database outage degrades and heals.
/// </summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedStateTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ClientsWorkAcrossReplicas_AndARestChangeOnReplica1ReachesListenersOnReplica3WithinASecond()
    {
        await using var replicas = await StartReplicasAsync();

        // A 2026-07-28 client is stateless: round robin spreads it over every replica.
        await using (var balancer = await LoadBalancer.StartAsync(replicas.Urls))
        {
            var (stateless, _) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
            await using var _ = stateless;
            for (var i = 0; i < 6; i++)
            {
                (await stateless.CallToolAsync("plugins_list")).IsError.Should().NotBe(true);
            }

            balancer.RequestsPerUpstream.Should().AllSatisfy(n => n.Should().BePositive());
        }

        // A client that initializes keeps its session on one replica when the balancer routes by Mcp-Session-Id.
        await using (var sticky = await LoadBalancer.StartAsync(replicas.Urls, Affinity.LearnedSession))
        {
            var (initialized, _) = await TestServer.ConnectAsync(sticky.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: "2025-11-25");
            await using var _ = initialized;
            initialized.SessionId.Should().NotBeNull();
            for (var i = 0; i < 4; i++)
            {
                (await initialized.CallToolAsync("plugins_list")).IsError.Should().NotBe(true);
            }
        }

        // Listeners on replica 3: a 2026-07-28 client's subscriptions/listen stream and an initialized session.
        var (listener, listened) = await TestServer.ConnectAsync(replicas[2].BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var __ = listener;
        using var listen = new CancellationTokenSource();
        _ = listener.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ToolsListChanged = true } },
            cancellationToken: listen.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        var (session, sessionChanges) = await TestServer.ConnectAsync(replicas[2].BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: "2025-11-25");
        await using var ___ = session;
        await Task.Delay(300); // the listen request reaches the server

        var latencies = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var action = i % 2 == 0 ? "disable" : "enable";
            var watch = Stopwatch.StartNew();
            using (var response = await replicas[0].Http.PostAsync($"/api/plugins/ec2/{action}", null))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }

            await listened.NextAsync(Patience);
            var listenMs = watch.Elapsed.TotalMilliseconds;
            await sessionChanges.NextAsync(Patience);
            latencies.Add(Math.Max(listenMs, watch.Elapsed.TotalMilliseconds));
            output.WriteLine($"ec2 {action} on replica 1 → list_changed on replica 3: listen stream {listenMs:0} ms, session {watch.Elapsed.TotalMilliseconds:0} ms");
        }

        latencies.Sort();
        output.WriteLine($"propagation latency over {latencies.Count} changes: p50 {latencies[latencies.Count / 2]:0} ms, max {latencies[^1]:0} ms");
        latencies[latencies.Count / 2].Should().BeLessThan(1000, "another replica's change reaches this replica's clients within a second");
        var tools = await listener.ListToolsAsync();
        tools.Select(t => t.Name).Should().Contain(n => n.StartsWith("ec2_", StringComparison.Ordinal), "the last change enabled ec2 again");
        await listen.CancelAsync();
    }

    [Fact]
    public async Task SixteenAdmins_ThroughEveryReplica_LoseNoUpdate_WhileOneReplicaIsKilledAndRestarted()
    {
        await using var replicas = await StartReplicasAsync();
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls);
        var duration = TimeSpan.FromSeconds(20);
        var watch = Stopwatch.StartNew();
        var admins = Enumerable.Range(0, 16).Select(i => new Admin($"a{i:D2}", balancer.BaseUrl)).ToList();
        var work = admins.Select(a => Task.Run(() => a.RunAsync(duration))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(7));
        var before = admins.Sum(a => a.Acknowledged);
        await replicas[1].KillAsync();
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: replica 2 killed (-9) after {before} acknowledged operations");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await replicas[1].StartAsync();
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: replica 2 restarted and ready");
        try
        {
            await Task.WhenAll(work);
        }
        catch
        {
            foreach (var replica in replicas.All)
            {
                output.WriteLine($"--- {replica.Name}\n" + string.Join("\n", replica.Log.Split('\n').Where(l => l.Contains("warn:") || l.Contains("fail:") || l.Contains("State version")).TakeLast(30)));
            }

            throw;
        }

        admins.ForEach(a => a.Http.Dispose());

        var acknowledged = admins.Sum(a => a.Acknowledged);
        output.WriteLine($"{acknowledged} acknowledged operations in {duration.TotalSeconds:0} s ({acknowledged / duration.TotalSeconds:0} /s), " +
            $"{admins.Sum(a => a.Refused)} refused as conflicts (409, nothing changed), {admins.Sum(a => a.Uncertain.Count)} unanswered (replica killed mid-request); " +
            $"requests per replica {string.Join("/", balancer.RequestsPerUpstream)}");
        acknowledged.Should().BeGreaterThan(100, "16 admins for 20 s get work done");

        var database = await DatabaseInstancesAsync(replicas.Database);
        foreach (var admin in admins)
        {
            admin.Check(database);
        }

        // Every replica (the restarted one included) serves exactly what the database holds.
        foreach (var replica in replicas.All)
        {
            await Eventually.HoldsAsync(async () => (await ReplicaInstancesAsync(replica)).Should().Equal(database, $"{replica.Name} serves the database's state"), Patience);
        }
    }

    [Fact]
    public async Task DatabaseStops_ReplicasDegradeServeReadsAndRefuseChanges_ThenRecoverWithoutRestart()
    {
        await using var replicas = await StartReplicasAsync();
        await using var balancer = await LoadBalancer.StartAsync(replicas.Urls);
        var (client, _) = await TestServer.ConnectAsync(balancer.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var _ = client;
        var served = await ReplicaInstancesAsync(replicas[0]);

        await postgres.StopAsync();
        try
        {
            foreach (var replica in replicas.All)
            {
                await Eventually.HoldsAsync(async () => (await replica.Http.GetStringAsync("/healthz")).Should().StartWith("degraded: the state store postgresql://")
                    .And.Contain("unreachable"), Patience);
                using var ready = await replica.Http.GetAsync("/readyz");
                ready.StatusCode.Should().Be(HttpStatusCode.OK, "degraded but serving is ready by default");
                (await ready.Content.ReadAsStringAsync()).Should().StartWith("ready, degraded:");
                (await ReplicaInstancesAsync(replica)).Should().Equal(served, "reads are served from the last state");

                using var refused = await replica.Http.PostAsync("/api/plugins/ec2/disable", null);
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                var problem = await refused.Content.ReadAsStringAsync();
                problem.Should().Contain("The change was not made").And.Contain("unreachable").And.Contain("retry");
                problem.Should().NotContain(postgres.Password);
                replica.Log.Should().Contain("Lost the connection to the shared state database");
            }

            var toolResult = await client.CallToolAsync("plugin_disable", new Dictionary<string, object?> { ["id"] = "ec2" });
            toolResult.IsError.Should().BeTrue();
            toolResult.Text().Should().StartWith("The change was not made: the shared state database");
            (await client.CallToolAsync("plugins_list")).IsError.Should().NotBe(true, "reads keep working");

            // A refusal while the database is away is expected, not a server failure: one warning line with the reason.
            foreach (var replica in replicas.All)
            {
                await Eventually.HoldsAsync(() =>
                {
                    var lines = replica.Log.Split('\n');
                    lines.Where(l => l.Contains("refused (503)", StringComparison.Ordinal)).Should().ContainSingle()
                        .Which.Should().Contain("warn: McpCloudTools.Api: Request POST /api/plugins/ec2/disable refused (503): The change was not made");
                    lines.Should().NotContain(l => l.Contains("fail: McpCloudTools.Api", StringComparison.Ordinal) || l.Contains("fail: McpCloudTools.Audit", StringComparison.Ordinal),
                        "a 503 refusal is not an error of the server");
                    replica.Log.Should().NotContain(nameof(McpCloudTools.Core.StateUnavailableException), "no exception dump: the reason is the message")
                        .And.NotContain(postgres.Password);
                }, Patience);
            }

            await Eventually.HoldsAsync(() =>
            {
                replicas.All.Where(r => r.Log.Contains("warn: McpCloudTools.Audit: tool plugin_disable refused: The change was not made", StringComparison.Ordinal))
                    .Should().ContainSingle("the tool call's refusal is one warning line on the replica that took it");
            }, Patience);
        }
        finally
        {
            await postgres.StartAsync();
        }

        var recovery = Stopwatch.StartNew();
        foreach (var replica in replicas.All)
        {
            await Eventually.HoldsAsync(async () => (await replica.Http.GetStringAsync("/healthz")).Should().Be("ok"), Patience);
        }

        output.WriteLine($"every replica healthy again {recovery.ElapsedMilliseconds} ms after PostgreSQL came back");
        using (var response = await replicas[0].Http.PostAsync("/api/plugins/ec2/disable", null))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        foreach (var replica in replicas.All)
        {
            await Eventually.HoldsAsync(async () => (await ReplicaInstancesAsync(replica))["ec2"].Should().BeFalse(), Patience);
        }
    }

    private async Task<ReplicaSet> StartReplicasAsync(int count = 3)
    {
        var database = await postgres.CreateDatabaseAsync("replicas");
        var secrets = Directory.CreateTempSubdirectory("mct-secret-").FullName;
        var passwordFile = Path.Combine(secrets, "password");
        await File.WriteAllTextAsync(passwordFile, postgres.Password + "\n");
        var url = $"postgres://{PostgresServer.User}@127.0.0.1:{postgres.Port}/{database}?application_name=mct-test";
        var watch = Stopwatch.StartNew();
        var started = await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            ReplicaProcess.StartAsync($"replica {i}", "--state", url, "--state-password-file", passwordFile, "--allow-write")));
        output.WriteLine($"{count} replicas started together in {watch.ElapsedMilliseconds} ms on database {database}");
        return new ReplicaSet([.. started], database, secrets);
    }

    private async Task<Dictionary<string, bool>> DatabaseInstancesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT document::text FROM mcpcloudtools_state WHERE name = 'registry'", connection);
        using var document = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        return document.RootElement.GetProperty("instances").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("enabled").GetBoolean());
    }

    private static async Task<Dictionary<string, bool>> ReplicaInstancesAsync(ReplicaProcess replica)
    {
        var plugins = await replica.Http.GetFromJsonAsync<JsonElement>("/api/plugins");
        return plugins.EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("enabled").GetBoolean());
    }

    private sealed class ReplicaSet(List<ReplicaProcess> replicas, string database, string secrets) : IAsyncDisposable
    {
        public ReplicaProcess this[int index] => replicas[index];

        public IReadOnlyList<ReplicaProcess> All => replicas;

        public List<string> Urls => [.. replicas.Select(r => r.BaseUrl)];

        public string Database => database;

        public async ValueTask DisposeAsync()
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            Directory.Delete(secrets, recursive: true);
        }
    }

    /// <summary>
    /// One admin: creates, disables, enables and (three times in four) deletes instances of its own, through the
    /// balancer, and remembers what each acknowledged operation left. A 409 (the change kept conflicting) or 503 changed
    /// nothing and is retried; a request the balancer could not finish (its replica was killed) may or may not have been
    /// committed, so that instance may end in either state and the admin moves on to a new one.
    /// </summary>
    private sealed class Admin(string name, string baseUrl)
    {
        private readonly Dictionary<string, bool?> _expected = [];

        public HttpClient Http { get; } = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

        public int Acknowledged { get; private set; }

        public int Refused { get; private set; }

        public Dictionary<string, (bool? Before, bool? After)> Uncertain { get; } = [];

        public async Task RunAsync(TimeSpan duration)
        {
            var http = Http;
            var end = DateTime.UtcNow + duration;
            for (var k = 0; DateTime.UtcNow < end; k++)
            {
                var id = $"{name}-{k}";
                (HttpMethod Method, string Path, object? Body, bool? After)[] steps =
                [
                    (HttpMethod.Post, "/api/plugins", new { type = "ec2", id, displayName = $"{name} {k}" }, true),
                    (HttpMethod.Post, $"/api/plugins/{id}/disable", null, false),
                    (HttpMethod.Post, $"/api/plugins/{id}/enable", null, true),
                    .. k % 4 == 0 ? [] : new (HttpMethod, string, object?, bool?)[] { (HttpMethod.Delete, $"/api/plugins/{id}", null, null) },
                ];
                foreach (var (method, path, body, after) in steps)
                {
                    var outcome = await SendAsync(http, method, path, body);
                    if (outcome is null)
                    {
                        Uncertain[id] = (_expected.GetValueOrDefault(id), after);
                        _expected.Remove(id);
                        break;
                    }

                    Acknowledged++;
                    _expected[id] = after;
                }
            }
        }

        /// <summary>True when acknowledged, null when the outcome is unknown; retries what certainly changed nothing.</summary>
        private async Task<bool?> SendAsync(HttpClient http, HttpMethod method, string path, object? body)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }

                    var text = await response.Content.ReadAsStringAsync();
                    var nothingChanged = text.Contains("was not saved", StringComparison.Ordinal) || text.Contains("was not made", StringComparison.Ordinal);
                    if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable && nothingChanged && attempt < 20)
                    {
                        Refused++;
                        continue;
                    }

                    // The balancer could not finish the exchange (502, or its own 500 without a body when the replica died
                    // mid-answer), or it resent a request whose first delivery the killed replica had committed (a
                    // create that now "already exists", a delete that finds nothing): the outcome is unknown.
                    if (response.StatusCode == HttpStatusCode.BadGateway
                        || (response.StatusCode == HttpStatusCode.InternalServerError && text.Length == 0)
                        || (method == HttpMethod.Post && path == "/api/plugins" && text.Contains("already exists", StringComparison.Ordinal))
                        || (method == HttpMethod.Delete && response.StatusCode == HttpStatusCode.NotFound))
                    {
                        return null;
                    }

                    throw new InvalidOperationException($"{name}: {method} {path} answered {(int)response.StatusCode}: {text}");
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }
        }

        public void Check(Dictionary<string, bool> database)
        {
            foreach (var (id, enabled) in _expected)
            {
                if (enabled is null)
                {
                    database.Should().NotContainKey(id, $"{name} deleted {id} and was told so");
                }
                else
                {
                    database.Should().ContainKey(id, $"{name}'s acknowledged changes to {id} are kept");
                    database[id].Should().Be(enabled.Value, $"{name}'s last acknowledged change to {id}");
                }
            }

            foreach (var (id, (before, after)) in Uncertain)
            {
                bool? actual = database.TryGetValue(id, out var e) ? e : null;
                (actual == before || actual == after).Should().BeTrue($"{id}'s unanswered change either happened or not (before {before}, after {after}, found {actual})");
            }

            database.Keys.Where(id => id.StartsWith(name + "-", StringComparison.Ordinal))
                .Should().OnlyContain(id => _expected.ContainsKey(id) || Uncertain.ContainsKey(id), $"nothing {name} did not ask for");
        }
    }
}
