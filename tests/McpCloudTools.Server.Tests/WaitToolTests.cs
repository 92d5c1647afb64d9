using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Every <c>*_wait</c> tool of every plugin declares how long it waits (<c>[WaitsUpTo]</c>) with its own timeout
/// parameter, so the read-tool deadline comes on top of the wait instead of cutting it (issue 12).
/// </summary>
public sealed class WaitToolTests
{
    [Fact]
    public async Task EveryWaitTool_DeclaresItsWait_MatchingItsTimeoutParameter()
    {
        await using var h = await McpHarness.StartAsync(PluginSet.AddAll, new SafetyOptions { AllowWrite = true });
        var callTimeout = TimeSpan.FromSeconds(45);
        var waits = h.Catalog.All.Where(t => t.Name.EndsWith("_wait", StringComparison.Ordinal)).ToList();

        waits.Select(t => t.Name).Should().Contain(["batch_job_wait", "slurm_job_wait"]);
        foreach (var tool in waits)
        {
            tool.Waits.Should().NotBeNull($"{tool.Name} waits by design and must not be cut by the {callTimeout.TotalSeconds} s read deadline");
            var parameter = tool.Tool.ProtocolTool.InputSchema.GetProperty("properties").GetProperty(tool.Waits!.Argument);
            parameter.GetProperty("type").GetString().Should().Be("integer", tool.Name);
            parameter.GetProperty("default").GetInt32().Should().Be(tool.Waits.DefaultSeconds, tool.Name);
            tool.Deadline(null, callTimeout).Should().Be(TimeSpan.FromSeconds(tool.Waits.DefaultSeconds) + callTimeout, tool.Name);
        }
    }
}
