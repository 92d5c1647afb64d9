using System.Runtime.CompilerServices;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>Runs before any test: nothing in this assembly may reach the EC2 instance-metadata address.</summary>
internal static class ModuleSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TestEnvironment.Initialize();
}
