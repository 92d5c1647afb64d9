using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Server.Tests.Replicas;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit.Abstractions;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// SIGTERM, as Kubernetes stops a pod: the spawned server stops taking requests, lets the call in flight finish and
/// answer, ends listen streams, and exits 0 within <c>--shutdown-timeout</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_LetsASlowCallInFlightAnswer_RefusesNewRequests_ClosesListenStreams_AndExitsZero()
    {
        await using var server = await ReplicaProcess.StartAsync("server", "--sandbox", "--state", "none", "--shutdown-timeout", "20", "--log-level", "Information");
        for (var i = 0; i < 300 && !SandboxEndpoint().IsMatch(server.Log); i++)
        {
            await Task.Delay(100); // the sandbox starts in the background
        }

        var endpoint = new Uri(SandboxEndpoint().Match(server.Log).Groups[1].Value);
        using (var fault = await server.Http.PostAsJsonAsync(new Uri(endpoint, "/_sandbox/faults"), new { service = "ec2", latencyMs = 4000 }))
        {
            fault.IsSuccessStatusCode.Should().BeTrue(await fault.Content.ReadAsStringAsync());
        }

        var (client, _) = await TestServer.ConnectAsync(server.BaseUrl, HttpTransportMode.StreamableHttp, protocolVersion: null);
        await using var _ = client;
        var listen = client.SendRequestAsync<SubscriptionsListenRequestParams, EmptyResult>(RequestMethods.SubscriptionsListen,
            new SubscriptionsListenRequestParams { Notifications = new SubscriptionsListenNotifications { ToolsListChanged = true } }).AsTask();
        var call = client.CallToolAsync("ec2_vpc_list").AsTask();
        await Task.Delay(1500); // the call waits for the slow backend

        var watch = Stopwatch.StartNew();
        server.Terminate();
        await Task.Delay(300);
        using (var fresh = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            var refused = () => fresh.GetAsync($"{server.BaseUrl}/healthz");
            await refused.Should().ThrowAsync<HttpRequestException>("a stopping server takes no new connections");
        }

        var result = await call;
        output.WriteLine($"the call in flight answered {watch.ElapsedMilliseconds} ms after SIGTERM");
        result.IsError.Should().NotBe(true, result.Text());
        result.Text().Should().Contain("vpc-");
        var closed = await Task.WhenAny(listen, Task.Delay(TimeSpan.FromSeconds(10)));
        closed.Should().BeSameAs(listen, "the listen stream is ended by the server, not left to the deadline");

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(25))).Should().BeTrue("the process exits within the shutdown deadline");
        output.WriteLine($"exited {watch.ElapsedMilliseconds} ms after SIGTERM with code {server.ExitCode}");
        server.ExitCode.Should().Be(0, server.Log);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "nothing waited for the deadline");
    }

    [GeneratedRegex(@"SANDBOX MODE: every plugin talks to an emulated AWS account at (\S+) ")]
    private static partial Regex SandboxEndpoint();
}
