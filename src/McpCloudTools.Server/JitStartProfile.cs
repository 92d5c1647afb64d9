using System.Reflection;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace McpCloudTools.Server;

/// <summary>
/// Multi-core JIT for the framework-dependent builds (the <c>any</c> and ReadyToRun tool packages, <c>dotnet
/// mcp-cloud-tools.dll</c>): each start records which methods it compiled, and the next start compiles them on a
/// second core ahead of the main thread (<see cref="ProfileOptimization"/>), which then mostly finds them ready. The
/// native binary compiles nothing at run time and skips this.
/// <para>The profile is a list of method names (no data, no code), written by the runtime when the process exits
/// normally (stdin closed, SIGTERM) to <see cref="Folder"/>, one file per program and command. It is rewritten at every
/// such exit, so after an upgrade the old list is played once at most (compiling a method that is not needed changes
/// nothing but time); the runtime checks the file and ignores a damaged one. <c>MCPCLOUDTOOLS_JIT_PROFILE=off</c> turns
/// it off; a path puts it there instead.</para>
/// </summary>
public static class JitStartProfile
{
    /// <summary>The environment variable: <c>off</c>, or the folder for the profile.</summary>
    public const string Variable = "MCPCLOUDTOOLS_JIT_PROFILE";

    /// <summary>
    /// Starts recording this run and playing the last run's profile when <paramref name="args"/> serve (MCP or the
    /// sandbox) and the runtime compiles code; does nothing otherwise, and never fails: it only makes a start faster.
    /// Call it first in <c>Main</c>.
    /// </summary>
    public static void StartWhenServing(string[] args)
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled)
        {
            return;
        }

        try
        {
            if (ProfileFile(args, Environment.GetEnvironmentVariable) is not { } file)
            {
                return;
            }

            Directory.CreateDirectory(file.Folder);
            ProfileOptimization.SetProfileRoot(file.Folder);
            ProfileOptimization.StartProfile(file.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // A read-only or missing home, a path the OS refuses: the start is as fast as without a profile, which is
            // what it would have been.
        }
    }

    /// <summary>Where the profile of a run with <paramref name="args"/> goes, or null when it records none.</summary>
    internal static (string Folder, string Name)? ProfileFile(string[] args, Func<string, string?> environment)
    {
        string command;
        try
        {
            command = CommandLine.Parse(args).Command;
        }
        catch (FormatException)
        {
            return null;
        }

        if (command is not ("serve" or "sandbox") || Folder(environment) is not { } folder)
        {
            return null;
        }

        var program = Assembly.GetEntryAssembly()?.GetName().Name ?? "mcp-cloud-tools";
        return (folder, $"{program}-{command}.jitprofile");
    }

    /// <summary>
    /// The folder: <c>MCPCLOUDTOOLS_JIT_PROFILE</c> when it names one (null when <c>off</c>), else the user's cache
    /// folder: <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> on Linux, <c>~/Library/Caches</c> on macOS,
    /// <c>%LOCALAPPDATA%</c> on Windows; then <c>mcp-cloud-tools</c>. Null without a home to put it in.
    /// </summary>
    internal static string? Folder(Func<string, string?> environment)
    {
        var setting = environment(Variable)?.Trim();
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(setting))
        {
            return Path.GetFullPath(setting);
        }

        string? cache;
        if (OperatingSystem.IsWindows())
        {
            cache = environment("LOCALAPPDATA");
        }
        else if (OperatingSystem.IsMacOS())
        {
            cache = environment("HOME") is { Length: > 0 } home ? Path.Combine(home, "Library", "Caches") : null;
        }
        else
        {
            cache = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg) ? xdg
                : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache")
                : null;
        }

        return string.IsNullOrEmpty(cache) || !Path.IsPathFullyQualified(cache) ? null : Path.Combine(cache, "mcp-cloud-tools");
    }
}
