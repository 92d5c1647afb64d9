using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Audit;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Issue 15: the audit line names the AWS requests a call made, also for the official SDK's clients (EC2), and templated resource reads are audited as their tool (they pass the call guard).</summary>
public sealed class AuditRequestIdTests
{
    [Fact]
    public async Task TheJsonAuditLine_ListsTheRequestIdsTheSandboxAnsweredTheSdkCallsWith()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mcpcloudtools-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            List<string> answered;
            await using (var h = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(),
                             configure: s => s.AddSingleton(sp => AuditTrail.Json(path, sp.GetRequiredService<ILogger<AuditTrail>>()))))
            {
                await h.CallAsync("ec2_vpc_list");
                var before = h.Sandbox.Requests.Last;

                var result = await h.CallAsync("ec2_instance_list");

                result.IsError.Should().NotBe(true);
                answered = [.. h.Sandbox.Requests.Since(before).Select(r => r.RequestId).OfType<string>()];
                answered.Should().NotBeEmpty("EC2 answers every request with a request id");
            }

            // Disposing the server flushes the trail.
            var line = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
                .Single(l => l.GetProperty("tool").GetString() == "ec2_instance_list");
            line.GetProperty("aws_request_ids").EnumerateArray().Select(x => x.GetString()).Should().BeEquivalentTo(answered,
                "every request the call made is named once, as CloudTrail's requestID");
            line.GetProperty("instance").GetString().Should().Be("ec2");
            line.GetProperty("outcome").GetString().Should().Be("ok");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ATemplatedResourceRead_GoesThroughTheCallGuard_AndIsAuditedAsItsTool()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mcpcloudtools-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var h = await SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(),
                             configure: s => s.AddSingleton(sp => AuditTrail.Json(path, sp.GetRequiredService<ILogger<AuditTrail>>()))))
            {
                var read = () => h.Mcp.Client.ReadResourceAsync("ec2://ec2/instances/i-0123456789abcdef0").AsTask();

                (await read.Should().ThrowAsync<ModelContextProtocol.McpException>()).Which.Message.Should().Contain("i-0123456789abcdef0");
            }

            var line = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
                .Single(l => l.GetProperty("tool").GetString() == "ec2_instance_describe");
            line.GetProperty("outcome").GetString().Should().Be("error");
            line.GetProperty("args").EnumerateArray().Select(x => x.GetString()).Should().Contain("instance_ids");
            line.GetProperty("aws_request_ids").GetArrayLength().Should().BeGreaterThan(0, "the read reached EC2 through the guard's scope");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
