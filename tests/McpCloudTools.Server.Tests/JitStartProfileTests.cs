using FluentAssertions;
using Xunit;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The start profile of the framework-dependent builds: where it goes, when it is recorded, and that the server
/// built beside the tests (JIT, as <c>dotnet mcp-cloud-tools.dll</c> and the <c>any</c> package run) writes it at a
/// normal exit and starts from it, or from a damaged one, as it starts without. What it saves is the benchmark's.
/// </summary>
public sealed class JitStartProfileTests
{
    private const string ProfileName = "mcp-cloud-tools-serve.jitprofile";

    private static Func<string, string?> Environment(params (string Key, string Value)[] variables) =>
        key => variables.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void TheFolderIsTheUsersCache_OrTheOneNamed_OrNoneWhenOff()
    {
        JitStartProfile.Folder(Environment(("HOME", "/home/ana"))).Should().Be("/home/ana/.cache/mcp-cloud-tools");
        JitStartProfile.Folder(Environment(("HOME", "/home/ana"), ("XDG_CACHE_HOME", "/var/cache/ana")))
            .Should().Be("/var/cache/ana/mcp-cloud-tools");
        JitStartProfile.Folder(Environment(("HOME", "/home/ana"), ("XDG_CACHE_HOME", "relative/cache")))
            .Should().Be("/home/ana/.cache/mcp-cloud-tools", "the XDG specification ignores a relative path");
        JitStartProfile.Folder(Environment(("HOME", "/home/ana"), (JitStartProfile.Variable, "/srv/profiles"))).Should().Be("/srv/profiles");
        JitStartProfile.Folder(Environment(("HOME", "/home/ana"), (JitStartProfile.Variable, "OFF"))).Should().BeNull();
        JitStartProfile.Folder(Environment()).Should().BeNull("without a home there is nowhere to keep it");
    }

    [Fact]
    public void OnlyServingRecords_NotHelpVersionOrAMistypedCommandLine()
    {
        var env = Environment(("HOME", "/home/ana"));
        JitStartProfile.ProfileFile(["--sandbox"], env)!.Value.Name.Should().EndWith("-serve.jitprofile");
        JitStartProfile.ProfileFile([], env)!.Value.Folder.Should().Be("/home/ana/.cache/mcp-cloud-tools");
        JitStartProfile.ProfileFile(["sandbox", "--port", "0"], env)!.Value.Name.Should().EndWith("-sandbox.jitprofile");
        JitStartProfile.ProfileFile(["--help"], env).Should().BeNull("a short run would replace the profile of a serving one");
        JitStartProfile.ProfileFile(["version"], env).Should().BeNull();
        JitStartProfile.ProfileFile(["--transport"], env).Should().BeNull("the server reports the mistake itself");
        JitStartProfile.ProfileFile(["--sandbox"], Environment(("HOME", "/home/ana"), (JitStartProfile.Variable, "off"))).Should().BeNull();
    }

    [Fact]
    public async Task TheServerWritesItsProfileAtExit_AndStartsFromIt_OrFromADamagedOne()
    {
        var home = Directory.CreateTempSubdirectory("mct-jit-profile-").FullName;
        try
        {
            var profile = Path.Combine(home, ".cache", "mcp-cloud-tools", ProfileName);
            int tools;
            await using (var first = await ServerProcess.StartStdioAsync(["--sandbox"], home: home))
            {
                tools = (await first.ToolsAsync()).Count;
                File.Exists(profile).Should().BeFalse("the runtime writes the profile when the process exits");
            }

            File.Exists(profile).Should().BeTrue("closing stdin ends the server normally, and the runtime then writes what it compiled");
            new FileInfo(profile).Length.Should().BeGreaterThan(10_000, "a start compiles thousands of methods");

            File.SetLastWriteTimeUtc(profile, DateTime.UtcNow.AddHours(-1));
            await using (var second = await ServerProcess.StartStdioAsync(["--sandbox"], home: home))
            {
                (await second.ToolsAsync()).Should().HaveCount(tools);
                (await second.TextAsync("plugins_list")).Should().Contain("eks");
            }

            File.GetLastWriteTimeUtc(profile).Should().BeAfter(DateTime.UtcNow.AddMinutes(-10), "every normal exit records the profile again");

            // Truncated, then garbage: the runtime checks the file and starts without it.
            var bytes = await File.ReadAllBytesAsync(profile);
            foreach (var damaged in (byte[][])[bytes[..(bytes.Length / 2)], [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]])
            {
                await File.WriteAllBytesAsync(profile, damaged);
                await using var server = await ServerProcess.StartStdioAsync(["--sandbox"], home: home);
                (await server.ToolsAsync()).Should().HaveCount(tools);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task OffOrAnUnwritableFolder_WritesNothing_AndTheServerServesAsUsual()
    {
        var home = Directory.CreateTempSubdirectory("mct-jit-profile-").FullName;
        try
        {
            var off = new Dictionary<string, string?> { [JitStartProfile.Variable] = "off" };
            await using (var server = await ServerProcess.StartStdioAsync(["--sandbox"], environment: off, home: home))
            {
                (await server.ToolsAsync()).Should().NotBeEmpty();
            }

            Directory.Exists(Path.Combine(home, ".cache")).Should().BeFalse();

            // A folder under a file: nowhere to write; the start goes on.
            await File.WriteAllTextAsync(Path.Combine(home, "blocker"), "");
            var blocked = new Dictionary<string, string?> { [JitStartProfile.Variable] = Path.Combine(home, "blocker", "profiles") };
            await using (var server = await ServerProcess.StartStdioAsync(["--sandbox"], environment: blocked, home: home))
            {
                (await server.ToolsAsync()).Should().NotBeEmpty();
            }

            var (code, stdout, _) = await ServerProcess.RunToExitAsync(home, permissionsEnforced: false, "--help");
            code.Should().Be(0);
            stdout.Should().Contain(JitStartProfile.Variable);
            Directory.Exists(Path.Combine(home, ".cache")).Should().BeFalse("help records no profile");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
