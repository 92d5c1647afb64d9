using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// What reaches stderr: argument values never do, at any level (the SDK logs whole JSON-RPC messages at Trace), and
/// secret shapes are scrubbed from every line; the audit line names the arguments.
/// </summary>
public sealed class LogPrivacyTests
{
    private const string Canary = "zq-canary-7b31";

    [Theory]
    [InlineData("Trace")]
    [InlineData("Debug")]
    public async Task AtEveryLogLevel_ArgumentValuesNeverReachStderr_ButTheAuditLineNamesTheArguments(string level)
    {
        await using var server = await ServerProcess.StartStdioAsync(["--sandbox", "--log-level", level]);

        // Values that come back in the result too, so that a logged response would leak them as well as a logged request.
        var listed = await server.CallAsync("ec2_instance_list", new { name = Canary, state = "running" });
        var refused = await server.CallAsync("cluster_activate", new { cluster_id = $"eks:{Canary}" });
        // A free-text argument (a CloudWatch filter pattern) may carry a secret-shaped value; names may not (they are refused).
        var secret = await server.CallAsync("lambda_function_logs", new { function = "thumbnail-worker", filter = "\"postgres://u:zq-pw-canary@db/x\"" });
        await server.WaitForStderrAsync("tool lambda_function_logs plugin lambda");

        listed.IsError.Should().NotBe(true, listed.Text());
        refused.Text().Should().Contain(Canary, "the value is echoed to the client, which may see it");
        secret.IsError.Should().NotBe(true, secret.Text());
        var stderr = string.Join("\n", server.Stderr);
        stderr.Should().Contain("McpCloudTools.Audit: tool ec2_instance_list plugin ec2 ok in").And.Contain("(args: name,state; confirmation: none needed)");
        stderr.Should().Contain("McpCloudTools.Audit: tool cluster_activate plugin - error in").And.Contain("(args: cluster_id; confirmation: none needed)");
        stderr.Should().Contain("ModelContextProtocol", $"at {level} the SDK's own lines are still there, only without message contents");
        stderr.Should().NotContain(Canary).And.NotContain("zq-pw-canary");
    }
}
