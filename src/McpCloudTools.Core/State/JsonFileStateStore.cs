using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.Logging;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Core.State;

/// <summary>
/// Keeps the registry's state in a JSON file, written atomically (temp file in the same folder, flushed, renamed
/// over the old one), with a <c>revision</c> counter that conditional saves check. A file from an older schema is
/// migrated (its original kept beside it as <c>.v1.bak</c> or <c>.v2.bak</c>);
/// a corrupt file or one from a newer version stops the start with a clear message and is never overwritten.
/// A location that cannot be used (a folder, a path under a file, a folder that cannot be created or written, a file
/// that cannot be read) stops the start the same way, and temp files that killed servers left behind are removed.
/// Two servers may share the file (two clients each starting one): the <c>revision</c> is also its version probe, so a
/// change that looks refused or already done on a stale copy is computed again on what the file holds.
/// </summary>
public sealed partial class JsonFileStateStore(string path, ILogger<JsonFileStateStore> logger) : IStateStore, IStateVersionProbe
{
    private readonly Lock _gate = new();

    /// <summary>The default path: <c>mcp-cloud-tools/state.json</c> in the user's config folder.</summary>
    public static string DefaultPath(string fileName = "state.json") =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "mcp-cloud-tools", fileName);

    /// <inheritdoc />
    public string Location { get; } = FullPath(path);

    private StateDocumentCodec Codec => new($"The state file {Location}", "fix it, move it away, or start with --state <other path>");

    /// <inheritdoc />
    public ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Load());
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The version is the file's <c>revision</c>, read again just before the write: a second server on the same file
    /// (two clients each starting one) that saved in between makes this save a conflict instead of undoing its change.
    /// </remarks>
    public ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            var current = StoredRevision();
            if (current != expectedVersion)
            {
                return ValueTask.FromResult(SaveOutcome.Conflict(current));
            }

            Write(state, current + 1);
            return ValueTask.FromResult(SaveOutcome.Success(current + 1));
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The file's <c>revision</c>, read without decoding the state; asked only when a change is refused or finds nothing
    /// to do on this server's copy, or an instance is missing from it. A file that cannot be read counts as unchanged
    /// (the change is then judged on this server's copy, as before).
    /// </remarks>
    public ValueTask<long> StoredVersionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            try
            {
                return ValueTask.FromResult(StoredRevision());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateFileException)
            {
                throw new StateUnavailableException($"Cannot read the state file {Location}: {e.Message}", e);
            }
        }
    }

    private StoredState? Load()
    {
        CheckLocation();
        RemoveStaleTempFiles();
        var bytes = ReadBytes();
        if (bytes is null)
        {
            return null;
        }

        var decoded = Codec.Decode(bytes, File.GetLastWriteTimeUtc(Location));
        return decoded.SchemaVersion == StateDocument.CurrentSchemaVersion
            ? new StoredState(decoded.State, decoded.Revision)
            : BackUpAndSave(decoded.State, bytes, decoded.SchemaVersion);
    }

    private byte[]? ReadBytes()
    {
        try
        {
            return File.Exists(Location) ? File.ReadAllBytes(Location) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"Cannot read the state file {Location}: {e.Message}. Fix its permissions or start with --state <other path>.", e);
        }
    }

    /// <summary>The revision the file holds now (0: no file, or one from before revisions).</summary>
    private long StoredRevision()
    {
        var bytes = File.Exists(Location) ? File.ReadAllBytes(Location) : null;
        return bytes is null ? 0 : Codec.Revision(bytes);
    }

    private void Write(RegistryState state, long revision)
    {
        WriteAtomically(Location, StateDocumentCodec.Encode(state, revision));
    }

    private static string FullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new StateFileException("The state path is empty. Give a file path with --state (or MCPCLOUDTOOLS__STATEPATH), or --state none to keep state in memory.");
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StateFileException($"The state path '{Fmt.Clip(path, 80)}' is not a valid path ({e.Message}). Give another with --state.", e);
        }
    }

    /// <summary>
    /// Refuses, with one actionable sentence, every location where state could not be kept: a folder, a path under a
    /// file, a folder that cannot be created, or one that cannot be written (found now, not at the first change).
    /// </summary>
    private void CheckLocation()
    {
        const string Other = "Choose another path with --state, or --state none to keep state in memory.";
        if (Directory.Exists(Location))
        {
            throw new StateFileException($"The state path {Location} is a folder, not a file. Give a file path such as {Path.Combine(Location, "state.json")}. {Other}");
        }

        var folder = Path.GetDirectoryName(Location) ?? throw new StateFileException($"The state path {Location} has no folder. {Other}");
        for (var dir = folder; dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                throw new StateFileException($"The state path {Location} is under {dir}, which is a file, not a folder. {Other}");
            }
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"Cannot create the state folder {folder}: {e.Message.TrimEnd('.')}. Create it or fix the permissions of its parent. {Other}", e);
        }

        var probe = TempPath(Location);
        try
        {
            using (new FileStream(probe, TempFileOptions()))
            {
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"The state folder {folder} is not writable ({e.Message.TrimEnd('.')}), so no change could be saved. Fix its permissions. {Other}", e);
        }
    }

    /// <summary>
    /// Removes our own temp files (<c>.state.json.&lt;pid&gt;.&lt;guid&gt;.tmp</c>) that a server killed mid-write left:
    /// those of a process that no longer runs, or written before this process started, and not held open by a writer.
    /// Anything else in the folder is left alone.
    /// </summary>
    private void RemoveStaleTempFiles()
    {
        var folder = Path.GetDirectoryName(Location)!;
        var pattern = new Regex($"^\\.{Regex.Escape(Path.GetFileName(Location))}(\\.v\\d+\\.bak)?\\.(\\d+)\\.[0-9a-f]{{32}}\\.tmp$", RegexOptions.CultureInvariant);
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, $".{Path.GetFileName(Location)}.*.tmp"))
        {
            var match = pattern.Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups[2].Value, out var pid))
            {
                continue;
            }

            try
            {
                if (pid == Environment.ProcessId || (IsRunning(pid) && File.GetLastWriteTimeUtc(file) >= started))
                {
                    continue;
                }

                // A writer holds its temp file open without sharing until it is complete; such a file is not stale.
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }

                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use or not ours to delete: leave it.
            }
        }

        if (removed > 0)
        {
            LogTempFilesRemoved(logger, removed, folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Keeps the original beside the file (once), writes the migrated state as revision 1, and returns it.</summary>
    private StoredState BackUpAndSave(RegistryState migrated, byte[] original, int fromVersion)
    {
        var backup = $"{Location}.v{fromVersion}.bak";
        if (!File.Exists(backup))
        {
            WriteAtomically(backup, original);
        }

        Write(migrated, 1);
        LogMigrated(logger, Location, fromVersion, StateDocument.CurrentSchemaVersion, backup);
        return new StoredState(migrated, 1);
    }

    [LoggerMessage(LogLevel.Information, "Removed {Count} temp file(s) left in {Folder} by a server that stopped while saving")]
    private static partial void LogTempFilesRemoved(ILogger logger, int count, string folder);

    [LoggerMessage(LogLevel.Information, "Migrated state file {Path} from schema {From} to {To}; the original is kept as {Backup}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to, string backup);

    private static void WriteAtomically(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = TempPath(path);
        try
        {
            using (var fs = new FileStream(tmp, TempFileOptions()))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>A temp file beside <paramref name="path"/>, named so that <see cref="RemoveStaleTempFiles"/> recognises it.</summary>
    private static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    private static FileStreamOptions TempFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
