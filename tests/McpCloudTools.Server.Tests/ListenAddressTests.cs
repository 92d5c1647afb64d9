using System.Diagnostics;
using System.Net;
using McpCloudTools.Server.Http;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// --urls is parsed once, with Kestrel's rules, and bound as parsed: an address Kestrel would read as "every
/// interface" while it looks like loopback (user info, a query, a bad port, a host name) is refused, not served.
/// </summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", BindKind.Address, "127.0.0.1", 5080, true)]
    [InlineData("http://localhost:5080", BindKind.Localhost, null, 5080, true)]
    [InlineData("HTTP://LOCALHOST:0", BindKind.Localhost, null, 0, true)]
    [InlineData("http://[::1]:5080/", BindKind.Address, "::1", 5080, true)]
    [InlineData("http://127.0.0.1", BindKind.Address, "127.0.0.1", 80, true)]
    [InlineData("http://0.0.0.0:5080", BindKind.AnyAddress, "0.0.0.0", 5080, false)]
    [InlineData("http://[::]:5080", BindKind.AnyAddress, "::", 5080, false)]
    [InlineData("http://*:5080", BindKind.AnyAddress, null, 5080, false)]
    [InlineData("http://+:5080", BindKind.AnyAddress, null, 5080, false)]
    [InlineData("http://10.1.2.3:5080", BindKind.Address, "10.1.2.3", 5080, false)]
    public void ValidAddresses_AreBoundAsKestrelWould(string url, BindKind kind, string? ip, int port, bool loopback)
    {
        var address = ListenAddresses.Parse(url).Single();

        address.Kind.Should().Be(kind);
        address.Ip?.ToString().Should().Be(ip);
        address.Port.Should().Be(port);
        address.IsLoopback.Should().Be(loopback);
    }

    [Theory]
    [InlineData("http://x@127.0.0.1:5091", "user info")]
    [InlineData("http://user:pw@localhost:5091", "user info")]
    [InlineData("http://127.0.0.1:5091/mcp", "path, query or fragment")]
    [InlineData("http://127.0.0.1:5091?x=1", "path, query or fragment")]
    [InlineData("http://127.0.0.1:5091#top", "path, query or fragment")]
    [InlineData("http://127.0.0.1:50x1", "port in '127.0.0.1:50x1' is not a number")]
    [InlineData("http://127.0.0.1:70000", "out of range")]
    [InlineData("http://127.1:5091", "write the IPv4 address in full (127.0.0.1)")]
    [InlineData("http://2130706433:5091", "write the IPv4 address in full (127.0.0.1)")]
    [InlineData("http://myhost.example:5091", "neither localhost nor an IP address")]
    [InlineData("http://localhost.:5091", "neither localhost nor an IP address")]
    [InlineData("https://127.0.0.1:5091", "the scheme must be http")]
    [InlineData("ftp://127.0.0.1:5091", "the scheme must be http")]
    [InlineData("http://unix:/tmp/mcp.sock", "Unix sockets")]
    [InlineData("notaurl", "it is not a URL")]
    [InlineData("127.0.0.1:5080", "it is not a URL")]
    [InlineData(";", "names no address")]
    public void AmbiguousOrMalformedAddresses_AreRefused_SayingWhatIsValid(string url, string why)
    {
        var act = () => ListenAddresses.Parse(url);

        act.Should().Throw<FormatException>().Which.Message.Should().Contain(why).And.Contain("http://127.0.0.1:5080");
    }

    [Fact]
    public void EveryAddressOfAList_IsChecked()
    {
        ListenAddresses.Parse(" http://127.0.0.1:5080 ; http://[::1]:5080 ").Should().HaveCount(2).And.OnlyContain(a => a.IsLoopback);
        var act = () => ListenAddresses.Parse("http://127.0.0.1:5080;http://x@127.0.0.1:5081");
        act.Should().Throw<FormatException>().WithMessage("*x@127.0.0.1:5081*");
    }

    [Fact]
    public void BoundAddresses_BeyondLoopback_AreFound()
    {
        ListenAddresses.NotLoopback(["http://127.0.0.1:5080", "http://localhost:5081", "http://[::1]:5082"]).Should().BeEmpty();
        ListenAddresses.NotLoopback(["http://127.0.0.1:5080", "http://[::]:5081", "http://0.0.0.0:5082", "http://192.168.1.4:80"])
            .Should().Equal("http://[::]:5081", "http://0.0.0.0:5082", "http://192.168.1.4:80");
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("environment")]
    [InlineData("stdio")]
    public async Task UserInfoBeforeALoopbackAddress_IsRefusedAtStart_AndNothingListens(string how)
    {
        var port = TestPorts.Free();
        var url = $"http://x@127.0.0.1:{port}";
        string[] args = how switch
        {
            "flag" => ["--transport", "http", "--urls", url],
            "environment" => ["--transport", "http"],
            _ => ["--urls", url],
        };

        var (code, stderr) = await RunAsync(args, how == "environment" ? new() { ["MCPCLOUDTOOLS__URLS"] = url } : new());

        code.Should().Be(2, $"Kestrel reads the host as 'x@127.0.0.1' and would listen on every interface; stderr: {stderr}");
        stderr.Should().Contain($"--urls '{url}' is not a usable listen address: it has user info").And.Contain("http://127.0.0.1:5080");
        using var probe = new System.Net.Sockets.TcpClient();
        var connect = () => probe.ConnectAsync(IPAddress.Loopback, port);
        await connect.Should().ThrowAsync<System.Net.Sockets.SocketException>("the server must not have listened");
    }

    [Fact]
    public async Task AMalformedUrl_IsCalledMalformed_NotATokenProblem()
    {
        var (code, stderr) = await RunAsync(["--transport", "http", "--urls", "notaurl"], new());

        code.Should().Be(2);
        stderr.Should().Contain("--urls 'notaurl' is not a usable listen address: it is not a URL (scheme://host:port)")
            .And.Contain("http://127.0.0.1:5080").And.NotContain("API token");
    }

    [Fact]
    public async Task ALoopbackServer_ListensOnLoopbackOnly()
    {
        await using var server = await ServerProcess.StartHttpAsync("--log-level", "Information");

        await server.WaitForStderrAsync("Listening on");
        server.Stderr.First(l => l.Contains("Listening on", StringComparison.Ordinal)).Should().Contain($"Listening on http://127.0.0.1:{server.Port}:");
        if (System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) is { } lan)
        {
            using var probe = new System.Net.Sockets.TcpClient();
            var connect = () => probe.ConnectAsync(lan, server.Port);
            await connect.Should().ThrowAsync<System.Net.Sockets.SocketException>($"{lan} is this machine's address beyond loopback");
        }
    }

    private static async Task<(int Code, string Stderr)> RunAsync(string[] args, Dictionary<string, string?> env)
    {
        var home = Directory.CreateTempSubdirectory("mct-urls-").FullName;
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in (string[])[ServerProcess.Dll, "--state", "none", .. args])
            {
                psi.ArgumentList.Add(a);
            }

            foreach (var (k, v) in ServerProcess.SafeEnvironment(home).Concat(env))
            {
                psi.Environment[k] = v;
            }

            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(ServerProcess.Patience);
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }

            return (p.ExitCode, await stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
