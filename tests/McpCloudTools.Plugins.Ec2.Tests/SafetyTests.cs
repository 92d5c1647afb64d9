using McpCloudTools.Core.Plugins;
using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol;
using Xunit.Abstractions;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Write tools exist only with --allow-write, and the tool list stays within its byte budget.</summary>
public sealed class SafetyTests(DefaultFleetFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultFleetFixture>
{
    private static readonly string[] ReadTools =
        ["ec2_instance_describe", "ec2_instance_list", "ec2_instance_status", "ec2_security_group_list", "ec2_subnet_list", "ec2_vpc_list"];

    [Fact]
    public async Task ReadOnlyServer_AdvertisesOnlyTheReadTools()
    {
        var names = await fixture.Harness.Mcp.ToolNamesAsync();

        names.Where(n => n.StartsWith("ec2_", StringComparison.Ordinal)).Should().Equal(ReadTools);
    }

    [Theory]
    [InlineData("ec2_instance_stop", "write")]
    [InlineData("ec2_instance_start", "write")]
    [InlineData("ec2_instance_reboot", "write")]
    [InlineData("ec2_instance_terminate", "destructive")]
    public async Task ReadOnlyServer_RefusesWriteToolsWithoutCallingEc2(string tool, string kind)
    {
        var operation = tool["ec2_instance_".Length..] switch { "stop" => "StopInstances", "start" => "StartInstances", "reboot" => "RebootInstances", _ => "TerminateInstances" };
        var before = fixture.Harness.Calls(operation);

        var message = await fixture.Harness.ErrorAsync(tool, new { instance_ids = new[] { "i-0123456789abcdef0" }, dry_run = true });

        message.Should().Be($"Tool '{tool}' is a {kind} tool and this server runs read-only. Restart it with --allow-write to use write tools.");
        fixture.Harness.Calls(operation).Should().Be(before);
    }

    [Fact]
    public async Task AllowWrite_AddsTheStateChangesWithHonestAnnotationsWithinTheByteBudget()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);

        var tools = (await harness.Mcp.Client.ListToolsAsync()).Where(t => t.Name.StartsWith("ec2_", StringComparison.Ordinal)).ToList();

        tools.Select(t => t.Name).Order(StringComparer.Ordinal).Should().Equal([.. ReadTools.Concat(
            ["ec2_instance_reboot", "ec2_instance_start", "ec2_instance_stop", "ec2_instance_terminate"]).Order(StringComparer.Ordinal)]);
        var terminate = tools.Single(t => t.Name == "ec2_instance_terminate").ProtocolTool.Annotations!;
        (terminate.ReadOnlyHint, terminate.DestructiveHint).Should().Be((false, true));
        var stop = tools.Single(t => t.Name == "ec2_instance_stop").ProtocolTool.Annotations!;
        (stop.ReadOnlyHint, stop.DestructiveHint, stop.IdempotentHint).Should().Be((false, false, true));
        tools.Where(t => ReadTools.Contains(t.Name)).Should().OnlyContain(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);

        var sizes = tools.ToDictionary(t => t.Name, t => JsonSerializer.SerializeToUtf8Bytes(t.ProtocolTool, McpJsonUtilities.DefaultOptions).Length);
        foreach (var (name, size) in sizes.OrderByDescending(kv => kv.Value)) output.WriteLine($"{name}: {size} bytes");
        output.WriteLine($"average: {sizes.Values.Average():0} bytes over {sizes.Count} tools");
        sizes.Should().OnlyContain(kv => kv.Value <= ToolBudget.MaxBytesPerTool, "each tool stays within the one per-tool budget");
    }
}
