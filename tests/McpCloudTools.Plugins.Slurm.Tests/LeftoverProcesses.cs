using System.Diagnostics;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// Finds and ends the processes a fixture started that outlived their parents: any process whose working directory
/// is under the fixture's folder or whose command line names it (slurmstepd runs in slurmd's folder and survives it;
/// a job's own processes run under its work dir). Linux only: it reads <c>/proc</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class LeftoverProcesses
{
    /// <summary>The processes under <paramref name="folder"/> now (pid and command line), this process excepted.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Under(string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                var cwd = new FileInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (Inside(cwd, root) || commandLine.Contains(root, StringComparison.Ordinal))
                {
                    found.Add((pid, commandLine.Length == 0 ? "(zombie)" : commandLine));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>Kills every process under <paramref name="folder"/> (with its children) and waits for them; returns what is still there.</summary>
    public static async Task<IReadOnlyList<string>> KillUnderAsync(string folder, TimeSpan patience)
    {
        foreach (var (pid, _) in Under(folder))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            // A zombie (an exited child nobody reaped yet) has no command line left and holds nothing: not a survivor.
            var left = Under(folder).Where(p => p.CommandLine != "(zombie)").ToList();
            if (left.Count == 0 || waited.Elapsed > patience)
            {
                return [.. left.Select(p => $"{p.Pid} {p.CommandLine}")];
            }

            await Task.Delay(100);
        }
    }

    private static bool Inside(string path, string root)
    {
        var clean = path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;
        return clean == root || clean.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
