using System.Text.RegularExpressions;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Sandbox.Services.Ec2;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Starts the sandbox and an MCP server with the EC2 plugin, and reads EC2 tool answers.</summary>
internal static partial class Ec2Harness
{
    /// <summary>
    /// A harness on the default scenario (or <paramref name="instances"/> instances) with sandbox time frozen, so
    /// transitions happen only when a test advances the clock.
    /// </summary>
    public static Task<SandboxHarness> StartAsync(bool allowWrite = false, int? instances = null, FaultSettings? faults = null)
    {
        var scenario = instances is { } n ? SandboxScenario.Default.WithSize("ec2.instances", n) : SandboxScenario.Default;
        var options = new SandboxOptions
        {
            ClockSpeed = 0,
            Scenario = scenario,
            Faults = faults is null ? new Dictionary<string, FaultSettings>() : new Dictionary<string, FaultSettings> { ["ec2"] = faults },
        };
        return SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(), options, new SafetyOptions { AllowWrite = allowWrite });
    }

    /// <summary>Calls a tool that must succeed and returns its text.</summary>
    public static async Task<string> TextAsync(this SandboxHarness harness, string tool, object? arguments = null)
    {
        var result = await harness.CallAsync(tool, arguments);
        result.IsError.Should().NotBe(true, result.Text());
        return result.Text();
    }

    /// <summary>Calls a tool that must fail and returns its message.</summary>
    public static async Task<string> ErrorAsync(this SandboxHarness harness, string tool, object? arguments = null)
    {
        var result = await harness.CallAsync(tool, arguments);
        result.IsError.Should().BeTrue(result.Text());
        return result.Text();
    }

    /// <summary>The id of the instance named <paramref name="name"/>, read from <c>ec2_instance_list</c>.</summary>
    public static async Task<string> IdOfAsync(this SandboxHarness harness, string name)
    {
        var text = await harness.TextAsync("ec2_instance_list", new { name });
        return Rows(text).Single(r => r.Name == name).Id;
    }

    /// <summary>The table rows of an instance listing: id, name, short state.</summary>
    public static List<(string Id, string Name, string State)> Rows(string listing) =>
        [.. listing.Split('\n').Where(l => l.StartsWith("i-0", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(c => (c[0], c[1], c[2]))];

    /// <summary>The cursor in a paging footer, or null.</summary>
    public static string? Cursor(string text) => CursorPattern().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The EC2 service of the sandbox.</summary>
    public static Ec2Service Ec2(this SandboxHarness harness) => harness.Sandbox.Service<Ec2Service>();

    /// <summary>Calls made to one EC2 operation so far.</summary>
    public static long Calls(this SandboxHarness harness, string operation) =>
        harness.Ec2().Summary().GetValueOrDefault("calls." + operation);

    [GeneratedRegex(@"cursor=(\S+)")]
    private static partial Regex CursorPattern();
}
