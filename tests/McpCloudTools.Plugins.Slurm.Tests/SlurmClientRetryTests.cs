using System.Net;
using System.Net.Sockets;
using System.Text;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// slurmrestd now and then drops a new connection before it answers: a read is asked once more, and a server that
/// drops every connection is still reported as unreachable, after that one retry.
/// </summary>
public sealed class SlurmClientRetryTests
{
    [Fact]
    public async Task AReadWhoseConnectionIsDroppedBeforeAnyAnswer_IsAskedOnceMore_AndAnswered()
    {
        await using var server = new DroppingServer(dropFirst: 1);
        using var client = server.Client();

        var version = await client.VersionAsync(CancellationToken.None);

        version.Should().Be(SlurmApiVersion.V41);
        server.Connections.Should().BeGreaterThanOrEqualTo(2, "the dropped connection, then the one that answered");
        // Which layer asked again depends on when the reset lands: HttpClient itself retries a request whose new
        // connection is reset while it is sent; a reset before that is the client's one retry (the next test pins it).
        server.Sends.Should().BeInRange(1, 2);
    }

    [Fact]
    public async Task AServerThatDropsEveryConnection_IsReportedUnreachable_AfterOneRetry()
    {
        await using var server = new DroppingServer(dropFirst: int.MaxValue);
        using var client = server.Client();

        var read = () => client.VersionAsync(CancellationToken.None);

        (await read.Should().ThrowAsync<ToolException>()).Which.Message.Should().StartWith($"Cannot reach slurmrestd at {server.Url}");
        server.Sends.Should().Be(2, "one retry, not more (HttpClient may open a connection more on its own, so connections are not counted)");
    }

    /// <summary>A loopback HTTP server that closes its first connections unanswered, then answers an OpenAPI document.</summary>
    private sealed class DroppingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;
        private readonly int _dropFirst;
        private int _connections;

        public DroppingServer(int dropFirst)
        {
            _dropFirst = dropFirst;
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _serving = ServeAsync();
        }

        public Uri Url { get; }

        public int Connections => Volatile.Read(ref _connections);

        /// <summary>How many requests the client sent (each may open connections of its own).</summary>
        public int Sends => _counter.Sends;

        private readonly CountingHandler _counter = new();

        public SlurmClient Client() =>
            new(new HttpClient(_counter) { Timeout = TimeSpan.FromSeconds(10) }, new SlurmSettings(Url, "nobody", "token", null, null, null, null, null), "slurm-test");

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient tcp;
                try
                {
                    tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (Interlocked.Increment(ref _connections) <= _dropFirst)
                {
                    tcp.Client.LingerState = new LingerOption(true, 0);
                    tcp.Dispose();
                    continue;
                }

                _ = AnswerAsync(tcp);
            }
        }

        private async Task AnswerAsync(TcpClient tcp)
        {
            using (tcp)
            {
                var stream = tcp.GetStream();
                var buffer = new byte[8192];
                var received = new StringBuilder();
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var body = """{"paths":{"/slurm/v0.0.41/ping":{},"/slurm/v0.0.41/jobs":{}}}"""u8.ToArray();
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }

        private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
        {
            private int _sends;

            public int Sends => Volatile.Read(ref _sends);

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _sends);
                return base.SendAsync(request, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }
    }
}
