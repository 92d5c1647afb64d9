using System.Diagnostics;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>The fixture's last sweep: what outlived its parent under the fixture's folder is found and ended.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LeftoverProcessesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-leftover-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AnOrphanRunningInTheFolder_IsFoundAndKilled_AndNothingElseIs()
    {
        // A detached grandchild, as a job step is once slurmd stops: its parent shell exits at once.
        using (var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 300 & exit 0"]) { WorkingDirectory = _dir, UseShellExecute = false })!)
        {
            await shell.WaitForExitAsync();
        }

        using var outside = Process.Start(new ProcessStartInfo("/bin/sleep", ["300"]) { UseShellExecute = false })!;
        try
        {
            var orphan = await WaitForAsync(() => LeftoverProcesses.Under(_dir));
            orphan.Should().ContainSingle().Which.CommandLine.Should().Be("sleep 300");

            var left = await LeftoverProcesses.KillUnderAsync(_dir, TimeSpan.FromSeconds(10));

            left.Should().BeEmpty();
            LeftoverProcesses.Under(_dir).Where(p => p.CommandLine != "(zombie)").Should().BeEmpty();
            outside.HasExited.Should().BeFalse("a process elsewhere is not the fixture's");
        }
        finally
        {
            await LeftoverProcesses.KillUnderAsync(_dir, TimeSpan.FromSeconds(10));
            outside.Kill();
            await outside.WaitForExitAsync();
        }
    }

    private static async Task<IReadOnlyList<(int Pid, string CommandLine)>> WaitForAsync(Func<IReadOnlyList<(int Pid, string CommandLine)>> find)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (find() is { Count: > 0 } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        return [];
    }
}
