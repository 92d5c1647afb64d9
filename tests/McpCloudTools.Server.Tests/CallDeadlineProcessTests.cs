using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// <c>--call-timeout</c> on the built executable: a slow backend (the sandbox's latency fault, set through its control
/// endpoint) ends a read tool at the deadline with a message saying what to try; bad values are refused at start.
/// </summary>
public sealed partial class CallDeadlineProcessTests
{
    [Fact]
    public async Task ASlowBackend_EndsAReadToolAtTheConfiguredDeadline()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--sandbox", "--call-timeout", "3"]);
        await server.WaitForStderrAsync("SANDBOX MODE");
        var endpoint = new Uri(SandboxEndpoint().Match(string.Join("\n", server.Stderr)).Groups[1].Value);
        using (var fault = await server.Http.PostAsJsonAsync(new Uri(endpoint, "/_sandbox/faults"), new { service = "ec2", latencyMs = 40_000 }))
        {
            fault.IsSuccessStatusCode.Should().BeTrue(await fault.Content.ReadAsStringAsync());
        }

        var watch = Stopwatch.StartNew();
        var result = await server.CallAsync("ec2_vpc_list");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the 3 s deadline ends the call, not the 40 s backend with its retries");
        result.IsError.Should().BeTrue(result.Text());
        result.Text().Should().StartWith($"ec2_vpc_list stopped after 3 s, its whole-call deadline, while waiting for ec2 DescribeVpcs at {endpoint.GetLeftPart(UriPartial.Authority)}")
            .And.Contain("--call-timeout (now 3 s)");
        await server.WaitForStderrAsync("McpCloudTools.Audit: tool ec2_vpc_list plugin ec2 error in");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("86400")]
    public async Task ABadCallTimeout_IsRefusedAtStart_WithExit2(string value)
    {
        var home = Directory.CreateTempSubdirectory("mct-deadline-").FullName;
        try
        {
            var (code, _, stderr) = await ServerProcess.RunToExitAsync(home, permissionsEnforced: false, "--state", "none", "--call-timeout", value);

            code.Should().Be(2, stderr);
            stderr.Should().StartWith("mcp-cloud-tools: ").And.Contain("CallTimeoutSeconds");
            stderr.Should().NotContain("   at ", "one line, no stack trace");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [GeneratedRegex(@"SANDBOX MODE: every plugin talks to an emulated AWS account at (\S+) ")]
    private static partial Regex SandboxEndpoint();
}
