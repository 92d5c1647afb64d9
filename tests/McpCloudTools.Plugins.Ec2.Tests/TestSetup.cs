using System.Runtime.CompilerServices;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Runs before any test: explicit keys and region, and never the instance-metadata address.</summary>
internal static class TestSetup
{
    [ModuleInitializer]
    internal static void Initialize() => McpCloudTools.Testing.TestEnvironment.Initialize();
}
