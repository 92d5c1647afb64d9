using System.Net;
using System.Net.Sockets;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// <c>mcp-cloud-tools sandbox</c> spawned as a user runs it: a port it cannot use or an option value it cannot take is
/// one message and an exit code like the server's (4: cannot listen; 2: bad value), never a stack trace or a .NET
/// type name.
/// </summary>
public sealed class SandboxCommandProcessTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mct-sandbox-cmd-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task PortInUse_ExitsWith4_AndOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(_home, false, "sandbox", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        code.Should().Be(4);
        stderr.Trim().Should().Be($"mcp-cloud-tools sandbox: cannot listen on http://127.0.0.1:{port}: address already in use. Choose another with --port.");
    }

    [Fact]
    public async Task KubernetesApiPortInUse_ExitsWith4_NamingTheClusterAndThePortsTheSandboxUses()
    {
        var port = FreePortPair();
        using var taken = new TcpListener(IPAddress.Loopback, port + 1);
        taken.Start();

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(_home, false, "sandbox", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        code.Should().Be(4);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should()
            .Contain($"cannot listen on https://127.0.0.1:{port + 1} for the Kubernetes API of cluster")
            .And.Contain("address already in use").And.Contain("choose another --port");
    }

    [Theory]
    [InlineData("--port", "70000", "--port must be a whole number from 0 to 65527")]
    [InlineData("--port", "-1", "--port must be a whole number from 0 to 65527")]
    [InlineData("--size", "nope=3", "--size: unknown key 'nope'; the keys are batch.jobs, ec2.instances, eks.pods, lambda.functions, logs.events_per_stream, logs.extra_groups.")]
    [InlineData("--size", "ec2.instances=999999", "--size ec2.instances: 999999 is out of range; use 0 to 60000.")]
    [InlineData("--size", "eks.pods=lots", "--size eks.pods: the count must be a whole number from 0 to 20000, not 'lots'.")]
    [InlineData("--clock-speed", "-1", "--clock-speed must be a number from 0 to 86400")]
    [InlineData("--clock-speed", "fast", "--clock-speed must be a number from 0 to 86400")]
    [InlineData("--clock-speed", "NaN", "--clock-speed must be a number from 0 to 86400")]
    [InlineData("--seed", "-5", "--seed must be a whole number from 0 to 2147483647")]
    [InlineData("--scenario", "huge", "--scenario: unknown scenario 'huge'; use default or empty.")]
    [InlineData("--region", "mars", "--region must be an AWS region name such as us-east-1 or eu-west-1, not 'mars'")]
    [InlineData("--access-key", "a b", "--access-key must be 1 to 128 letters and digits")]
    [InlineData("--secret-key", "", "--secret-key must be 1 to 128 printable characters")]
    [InlineData("--verbose", "1", "unknown option '--verbose'; the options are --port")]
    public async Task BadOptionValue_ExitsWith2_SayingWhatIsValid_WithoutDotNetNames(string option, string value, string expected)
    {
        var (code, _, stderr) = await ServerProcess.RunToExitAsync(_home, false, "sandbox", option, value);

        code.Should().Be(2);
        stderr.Should().StartWith("mcp-cloud-tools sandbox: " + expected).And.Contain("usage: mcp-cloud-tools sandbox");
        stderr.Should().NotContain("System.").And.NotContain("(Parameter").And.NotContain("   at ");
    }

    [Theory]
    [InlineData("--clock-speed", "-1", "--clock-speed must be a number from 0 to 86400")]
    [InlineData("--size", "nope=3", "--size: unknown key 'nope'")]
    public async Task InProcessSandbox_RefusesTheSameValues(string option, string value, string expected)
    {
        var (code, _, stderr) = await ServerProcess.RunToExitAsync(_home, false, "--sandbox", option, value, "--state", "none");

        code.Should().Be(2);
        stderr.Should().StartWith("mcp-cloud-tools: " + expected).And.NotContain("(Parameter").And.NotContain("System.");
    }

    // A port whose next one is free too, so the test can take the next one itself.
    private static int FreePortPair()
    {
        for (var i = 0; i < 50; i++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65000) continue;
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No two adjacent free loopback ports.");
    }
}
