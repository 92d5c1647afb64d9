using System.Runtime.CompilerServices;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>Runs before any test: nothing in this assembly may reach the EC2 instance-metadata address.</summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void Initialize() => McpCloudTools.Testing.TestEnvironment.Initialize();
}
