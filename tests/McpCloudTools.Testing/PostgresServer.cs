using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Xunit;

namespace McpCloudTools.Testing;

/// <summary>
/// A real, throwaway PostgreSQL (Debian's <c>postgresql</c> package, any installed major version, newest first) on a
/// free loopback port: <c>initdb</c> into a temp folder and <c>pg_ctl</c>, both as the unprivileged <c>postgres</c>
/// user when the tests run as root (PostgreSQL refuses root), else as the current user. Password authentication over
/// TCP (scram-sha-256, a random password). Durability against a crash of PostgreSQL is kept (every commit reaches the
/// log before it is acknowledged: <c>synchronous_commit</c> stays on, or a crash would lose the last commits, as a test
/// here shows); only the flush to disk is skipped (<c>fsync=off</c>: just a crash of the machine could lose data). Use it as an xunit collection or class fixture so one
/// cluster serves a whole test run: <see cref="StopAsync"/> and <see cref="StartAsync"/> take the server down and
/// bring it back on the same port and data, for tests of what the product does while the database is away; dispose
/// stops it and removes everything. Clusters left by a test run that was killed are removed on the next start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The superuser the tests connect as.</summary>
    public const string User = "postgres";

    private const string DirPrefix = "mct-pg-";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private string _dir = "";
    private string _bin = "";

    /// <summary>The loopback port it listens on (the same across stops and starts).</summary>
    public int Port { get; private set; }

    /// <summary>The superuser's password.</summary>
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>The PostgreSQL major version that runs.</summary>
    public int Version { get; private set; }

    /// <summary>True while the server runs (between <see cref="StartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>How long the first start took (initdb and pg_ctl start).</summary>
    public TimeSpan StartTime { get; private set; }

    private string DataDir => Path.Combine(_dir, "data");

    private string LogFile => Path.Combine(_dir, "postgres.log");

    /// <summary>An Npgsql connection string for <paramref name="database"/> (pooling off unless <paramref name="pooling"/>).</summary>
    public string ConnectionString(string database = "postgres", bool pooling = false) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = User, Password = Password, Database = database, Pooling = pooling,
        Timeout = 5, CommandTimeout = 30,
    }.ConnectionString;

    /// <summary>The same as a URL (<c>postgres://postgres:…@127.0.0.1:port/db</c>), the form <c>--state</c> takes.</summary>
    public string Url(string database = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"postgres://{User}:{Password}@127.0.0.1:{Port}/{Uri.EscapeDataString(database)}");

    /// <summary>Initialises the cluster (first call) and starts the server; returns when it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        if (_dir.Length == 0)
        {
            var clock = Stopwatch.StartNew();
            await InitAsync();
            await StartServerAsync();
            StartTime = clock.Elapsed;
            return;
        }

        await StartServerAsync();
    }

    /// <summary>
    /// Stops the server. <paramref name="immediate"/>: as if it crashed (no checkpoint, clients cut at once; it recovers
    /// from its log on the next start); otherwise a fast shutdown (clients disconnected, work checkpointed).
    /// </summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (!IsRunning)
        {
            return;
        }

        await PgCtlAsync("stop", "-m", immediate ? "immediate" : "fast");
        IsRunning = false;
    }

    /// <summary>Creates a database of its own for a test (a fresh name) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>The end of the server log, for a failure message.</summary>
    public string LogTail(int lines = 30) => File.Exists(LogFile) ? string.Join("\n", File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Stops the server (immediately) and removes the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_dir.Length == 0)
        {
            return;
        }

        try
        {
            await StopAsync(immediate: true);
        }
        catch (InvalidOperationException)
        {
            // Not running after all; the folder goes anyway.
        }

        TryDelete(_dir);
        _dir = "";
    }

    private async Task InitAsync()
    {
        (_bin, Version) = FindBinaries();
        RemoveAbandonedClusters(_bin);
        _dir = Directory.CreateTempSubdirectory(DirPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(_dir, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var passwordFile = Path.Combine(_dir, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", $"{User}:{User}", _dir]);
        }

        try
        {
            await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDir, "-U", User, "--pwfile", passwordFile, "--auth-host=scram-sha-256",
                "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], asPostgres: true);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        Port = TestPorts.Free();
    }

    private async Task StartServerAsync()
    {
        var options = string.Join(' ',
            $"-p {Port}", $"-k {_dir}", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c full_page_writes=off", "-c max_connections=200", "-c shared_buffers=32MB", "-c log_min_messages=warning");
        try
        {
            await PgCtlAsync("start", "-l", LogFile, "-o", options);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nServer log:\n{LogTail()}", e);
        }

        IsRunning = true;
    }

    private Task PgCtlAsync(string action, params string[] arguments) =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-w", "-t", "60", .. arguments, action], asPostgres: true);

    private static async Task RunAsync(string file, IEnumerable<string> arguments, bool asPostgres = false)
    {
        var info = asPostgres && Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", User, "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();
        info.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(StepTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', info.ArgumentList)} did not finish within {StepTimeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    /// <summary>The newest installed PostgreSQL's programs (initdb and pg_ctl are not on PATH in Debian).</summary>
    private static (string Bin, int Version) FindBinaries()
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Bin: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Bin, "initdb")) && File.Exists(Path.Combine(x.Bin, "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault()
            : default;
        return found.Bin is not null
            ? found
            : throw new InvalidOperationException("PostgreSQL's initdb and pg_ctl are missing under /usr/lib/postgresql/<version>/bin: apt-get install postgresql (.ci/run does).");
    }

    /// <summary>Stops and removes clusters whose test process is gone (a run that was killed before it could clean up).</summary>
    private static void RemoveAbandonedClusters(string bin)
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirPrefix + "*"))
        {
            var owner = Path.Combine(dir, "owner.pid");
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
                {
                    RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-w", "-t", "30", "-m", "immediate", "stop"], asPostgres: true)
                        .GetAwaiter().GetResult();
                }
            }
            catch (InvalidOperationException)
            {
                // Not running (or not ours to stop); the folder goes anyway.
            }

            TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temp folder is cleaned by the OS; a leftover folder holds no running process.
        }
    }
}
