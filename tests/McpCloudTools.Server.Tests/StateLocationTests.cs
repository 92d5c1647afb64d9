using System.Diagnostics;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Every state location that cannot be used stops the start with one line and exit 3 (never an unhandled exception);
/// a write that fails later changes nothing and says so; temp files of killed servers are cleaned up on start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StateLocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-state-").FullName;

    public void Dispose()
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Prepend(_dir))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AFolderAsTheStatePath_StopsTheStart_WithExit3AndOneLine()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "state")).FullName;

        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state", folder);

        ExpectRefusal(run, folder, "is a folder, not a file", Path.Combine(folder, "state.json"));
    }

    [Fact]
    public async Task APathUnderAFile_StopsTheStart_WithExit3AndOneLine()
    {
        var file = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(file, "not a folder");
        var state = Path.Combine(file, "sub", "state.json");

        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state", state);

        ExpectRefusal(run, state, $"is under {file}, which is a file");
    }

    [Fact]
    public async Task AFolderThatIsNotWritable_StopsTheStart_EvenWhenItsStateFileCanBeRead()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "readonly")).FullName;
        var state = Path.Combine(folder, "state.json");
        (await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state", state)).Code.Should().Be(0, "a first start writes the state");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: true, "--state", state);

        ExpectRefusal(run, folder, "is not writable", "Fix its permissions");
    }

    [Fact]
    public async Task AFolderThatCannotBeCreated_StopsTheStart_WithExit3AndOneLine()
    {
        var parent = Directory.CreateDirectory(Path.Combine(_dir, "locked")).FullName;
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var state = Path.Combine(parent, "mcp", "state.json");

        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: true, "--state", state);

        ExpectRefusal(run, Path.Combine(parent, "mcp"), "Cannot create the state folder");
    }

    [Fact]
    public async Task AStateFileThatCannotBeRead_StopsTheStart_AndIsLeftUntouched()
    {
        var state = Path.Combine(_dir, "state.json");
        (await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state", state)).Code.Should().Be(0);
        var before = await File.ReadAllBytesAsync(state);
        File.SetUnixFileMode(state, UnixFileMode.None);

        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: true, "--state", state);

        ExpectRefusal(run, state, "Cannot read the state file");
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllBytesAsync(state)).Should().Equal(before);
    }

    [Fact]
    public async Task AnEmptyStatePath_StopsTheStart_WithExit3AndOneLine()
    {
        var run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state=");

        run.Code.Should().Be(3, run.Stderr);
        OneLine(run.Stderr).Should().Contain("The state path is empty").And.Contain("--state none");
    }

    [Fact]
    public async Task AWriteThatFailsAtRunTime_ChangesNothing_AndSaysTheChangeWasNotSaved_OverMcpAndAsA500OverRest()
    {
        await using var server = await ServerProcess.StartStdioAsync([], rest: true, permissionsEnforced: true);
        var folder = Path.GetDirectoryName(server.StatePath)!;
        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var result = await server.CallAsync("plugin_disable", new { id = "ec2" });

            result.IsError.Should().BeTrue(result.Text());
            result.Text().Should().StartWith("The change was not saved, so nothing changed: the state in " + server.StatePath + " could not be written")
                .And.NotContain("unexpectedly");
            (await server.TextAsync("plugins_list")).Should().MatchRegex(@"(?m)^ec2\s+ec2\s+yes", "memory follows the file: ec2 stays enabled");
            (await server.ToolsAsync()).Should().Contain(t => t.Name == "ec2_instance_list");

            // The same failure over REST is the server's, not the caller's: a 500 problem saying what failed, not a 400 "Invalid".
            using var rest = await server.Http.PostAsync("/api/plugins/ec2/disable", null);
            rest.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
            var problem = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(rest.Content);
            problem.GetProperty("title").GetString().Should().Be("Server error");
            problem.GetProperty("detail").GetString().Should().StartWith("The change was not saved, so nothing changed").And.Contain(server.StatePath);
            (await server.ToolsAsync()).Should().Contain(t => t.Name == "ec2_instance_list", "nothing changed");
        }
        finally
        {
            File.SetUnixFileMode(folder, mode);
        }
    }

    [Fact]
    public async Task TempFilesOfAKilledServer_AreRemovedOnStart_AndNothingElse()
    {
        var state = Path.Combine(_dir, "state.json");
        var dead = DeadPid();
        string Temp(string name, int pid) => Path.Combine(_dir, $".{name}.{pid}.{Guid.NewGuid():N}.tmp");
        var stale = Temp("state.json", dead);
        var staleBackup = Temp("state.json.v1.bak", dead);
        var inUse = Temp("state.json", Environment.ProcessId);
        var others = new[] { Temp("other.json", dead), Path.Combine(_dir, ".state.json.tmp"), Path.Combine(_dir, "notes.tmp") };
        foreach (var file in others.Append(stale).Append(staleBackup).Append(inUse))
        {
            await File.WriteAllTextAsync(file, "{\"schemaVersion\": 2, \"inst");
        }

        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        (int Code, string Stdout, string Stderr) run;
        using (new FileStream(inUse, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            // A writer in another process holds its temp file open until it is complete: not stale.
            run = await ServerProcess.RunToExitAsync(_dir, permissionsEnforced: false, "--state", state);
        }

        run.Code.Should().Be(0, run.Stderr);
        File.Exists(stale).Should().BeFalse("its writer no longer runs");
        File.Exists(staleBackup).Should().BeFalse("a migration backup's temp file is ours too");
        File.Exists(inUse).Should().BeTrue("a writer holds it");
        others.Should().OnlyContain(f => File.Exists(f), "only our own temp files are touched");
        run.Stderr.Should().Contain($"Removed 2 temp file(s) left in {_dir}");
        Directory.GetFiles(_dir, ".state.json.*.tmp").Should().BeEquivalentTo([inUse], "the server's own writes leave no temp file");
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    private static void ExpectRefusal((int Code, string Stdout, string Stderr) run, params string[] fragments)
    {
        run.Code.Should().Be(3, $"README promises exit 3 for an unusable state location; stderr: {run.Stderr}");
        run.Stdout.Should().BeEmpty("stdout belongs to MCP");
        var line = OneLine(run.Stderr);
        line.Should().StartWith("mcp-cloud-tools: ").And.Contain("--state");
        foreach (var fragment in fragments)
        {
            line.Should().Contain(fragment);
        }
    }

    private static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle($"one line says what is wrong, no stack trace: {stderr}");
        return lines[0];
    }
}
