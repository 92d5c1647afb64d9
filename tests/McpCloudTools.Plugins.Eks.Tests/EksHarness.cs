using System.Runtime.CompilerServices;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Eks;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Sandbox;
using McpCloudTools.Sandbox.Services.Eks;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>Runs before any test: nothing in this assembly may reach the instance-metadata address.</summary>
internal static class ModuleSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TestEnvironment.Initialize();
}

/// <summary>Starts the sandbox and an MCP server with the EKS plugin.</summary>
public static class EksHarness
{
    public static async Task<SandboxHarness> StartAsync(bool allowWrite = false, bool allowSensitive = false, int? pods = null, EksOptions? options = null)
    {
        var scenario = pods is { } n ? SandboxScenario.Default.WithSize("eks.pods", n) : SandboxScenario.Default;
        return await SandboxHarness.StartAsync(s =>
            {
                s.AddPlugin<EksPlugin>();
                if (options is not null) s.AddSingleton(options);
            },
            new SandboxOptions { Scenario = scenario },
            new SafetyOptions { AllowWrite = allowWrite, AllowSensitiveData = allowSensitive });
    }

    public static EksService Eks(this SandboxHarness harness) => harness.Sandbox.Service<EksService>();

    public static async Task<string> TextAsync(this SandboxHarness harness, string tool, object? arguments = null)
    {
        var result = await harness.CallAsync(tool, arguments);
        var text = result.Text();
        result.IsError.Should().NotBe(true, $"{tool} should succeed, but said: {text}");
        return text;
    }

    public static async Task<string> ErrorAsync(this SandboxHarness harness, string tool, object? arguments = null)
    {
        var result = await harness.CallAsync(tool, arguments);
        result.IsError.Should().BeTrue($"{tool} should fail, but said: {result.Text()}");
        return result.Text();
    }
}
