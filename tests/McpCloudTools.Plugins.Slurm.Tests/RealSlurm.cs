using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// A real Slurm 22.05 (Debian's packages) on loopback, started once for the collection: its own munged (key and
/// socket in a temp dir), slurmctld, one slurmd (4 CPUs, 3000 MB), a second configured node that never answers
/// (DOWN, with a reason), two partitions (<c>debug</c>, default, 60 min; <c>short</c>, 1 min), JWT as an alternative
/// auth type, and slurmrestd as the unprivileged user <c>nobody</c> (it refuses root and SlurmUser). Memory is
/// enforced by cgroup v1 where the memory controller is mounted and writable (jobs end OUT_OF_MEMORY), else by job
/// accounting's OverMemoryKill (jobs end FAILED, SIGKILL). Everything is killed and removed on dispose.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RealSlurm : IAsyncLifetime
{
    public const string Partition = "debug";
    public const string ShortPartition = "short";
    public const string ClusterName = "testhpc";
    public const string RestUser = "nobody";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Process> _daemons = [];
    private string _dir = "";

    /// <summary>slurmrestd's base URL.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A file holding a JWT for <see cref="RestUser"/>, as scontrol prints it.</summary>
    public string TokenFile => Path.Combine(_dir, "jwt.token");

    /// <summary>Where jobs run and write their output (writable by nobody).</summary>
    public string WorkDir => Path.Combine(_dir, "work");

    /// <summary>The node that runs jobs (this host's short name).</summary>
    public string Node { get; } = Environment.MachineName.Split('.')[0];

    /// <summary>The configured node that never answers, set DOWN with <see cref="GhostReason"/>.</summary>
    public const string GhostNode = "ghost";
    public const string GhostReason = "disk failure on /scratch";

    /// <summary>True when cgroup v1 memory enforcement is on (jobs over their memory end OUT_OF_MEMORY).</summary>
    public bool CgroupMemory { get; private set; }

    /// <summary>How long starting took.</summary>
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var tool in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/slurmrestd", "/usr/sbin/munged", "/usr/bin/scontrol", "/usr/bin/setpriv" })
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException($"{tool} is missing: install slurmctld slurmd slurmrestd slurm-client slurm-wlm-jwt-plugin munge (.ci/run does).");
            }
        }

        if (!File.Exists("/usr/lib/x86_64-linux-gnu/slurm-wlm/auth_jwt.so") && !Directory.EnumerateFiles("/usr/lib", "auth_jwt.so", SearchOption.AllDirectories).Any())
        {
            throw new InvalidOperationException("Slurm's auth/jwt plugin is missing: apt-get install slurm-wlm-jwt-plugin.");
        }

        _dir = Directory.CreateTempSubdirectory("mcp-slurm-").FullName;
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        foreach (var d in new[] { "state", "spool", "log" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, d));
        }

        Directory.CreateDirectory(WorkDir);
        File.SetUnixFileMode(WorkDir, (UnixFileMode)0b1_111_111_111);
        WriteSecret("munge.key", RandomNumberGenerator.GetBytes(1024));
        WriteSecret("jwt.key", RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(Path.Combine(_dir, "plugstack.conf"), "");

        int ctld = TestPorts.Free(), slurmd = TestPorts.Free(), rest = TestPorts.Free(), ghost = TestPorts.Free();
        CgroupMemory = CgroupV1MemoryWritable();
        File.WriteAllText(Path.Combine(_dir, "slurm.conf"), Config(ctld, slurmd, ghost));
        if (CgroupMemory)
        {
            File.WriteAllText(Path.Combine(_dir, "cgroup.conf"),
                "CgroupPlugin=cgroup/v1\nCgroupMountpoint=/sys/fs/cgroup\nConstrainRAMSpace=yes\nConstrainSwapSpace=no\nConstrainCores=no\nConstrainDevices=no\n");
        }

        try
        {
            var socket = Path.Combine(_dir, "munge.sock");
            Start("munged", $"/usr/sbin/munged -F --force --key-file={_dir}/munge.key --socket={socket} --pid-file={_dir}/munged.pid " +
                            $"--log-file={_dir}/log/munged.log --seed-file={_dir}/munge.seed");
            await WaitForAsync(() => File.Exists(socket), "munged's socket");
            Start("slurmctld", $"/usr/sbin/slurmctld -D -i -f {Conf}");
            await WaitForAsync(() => Listening(ctld), "slurmctld");
            Start("slurmd", $"/usr/sbin/slurmd -D -N {Node} -f {Conf}");
            await WaitForAsync(async () => (await ScontrolAsync($"-o show node {Node}")).Contains("State=IDLE", StringComparison.Ordinal), $"node {Node} to be IDLE");
            await ScontrolAsync($"update nodename={GhostNode} state=down reason=\"{GhostReason}\"");
            var token = await ScontrolAsync($"token username={RestUser} lifespan=7200");
            WriteSecret("jwt.token", System.Text.Encoding.UTF8.GetBytes(token.Trim()));
            Start("slurmrestd", $"/usr/bin/setpriv --reuid={RestUser} --regid=nogroup --clear-groups /usr/sbin/slurmrestd -f {Conf} -a rest_auth/jwt " +
                                $"-s openapi/v0.0.38 127.0.0.1:{rest}", ("SLURM_JWT", "daemon"));
            await WaitForAsync(() => Listening(rest), "slurmrestd");
            Url = new Uri($"http://127.0.0.1:{rest}/");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }

        StartTime = clock.Elapsed;
    }

    /// <summary>Runs scontrol against this cluster; throws with its output on failure.</summary>
    public Task<string> ScontrolAsync(string arguments) => RunAsync("/usr/bin/scontrol", arguments);

    public async Task DisposeAsync()
    {
        if (_dir.Length == 0)
        {
            return;
        }

        // Jobs first (their slurmstepd processes outlive slurmd): every job cancelled, and waited for until the
        // controller has none left; then the daemons; then whatever still runs in or from the fixture's folder (a job
        // step the controller lost track of); then the files.
        if (_daemons.Any(d => !d.HasExited && d.StartInfo.ArgumentList.Any(a => a.Contains("slurmctld", StringComparison.Ordinal))))
        {
            await CancelAllJobsAsync();
        }

        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            try
            {
                if (!daemon.HasExited)
                {
                    daemon.Kill(entireProcessTree: true);
                    await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
            finally
            {
                daemon.Dispose();
            }
        }

        var left = await LeftoverProcesses.KillUnderAsync(_dir, TimeSpan.FromSeconds(10));
        _daemons.Clear();
        RemoveEmptyCgroups();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A job's output file may still be open for a moment; the temp dir is cleaned by the OS.
        }

        _dir = "";
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"Slurm's teardown left processes running: {string.Join("; ", left)}.");
        }
    }

    /// <summary>
    /// Cancels every job (whoever submitted it) and waits until the controller lists none, so that their job steps end
    /// under slurmd's control rather than being orphaned when it stops.
    /// </summary>
    private async Task CancelAllJobsAsync()
    {
        try
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                var jobs = (await RunAsync("/usr/bin/squeue", "-h -o %A")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (jobs.Length == 0)
                {
                    return;
                }

                await RunAsync("/usr/bin/scancel", "--full " + string.Join(' ', jobs));
                await Task.Delay(250);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The controller is gone or does not answer: the process sweep below ends what is left.
        }
    }

    /// <summary>The logs, for a failure message.</summary>
    public string Logs() => string.Join("\n", Directory.Exists(Path.Combine(_dir, "log"))
        ? Directory.GetFiles(Path.Combine(_dir, "log")).Select(f => $"== {Path.GetFileName(f)}\n" + string.Join("\n", File.ReadLines(f).TakeLast(15)))
        : []);

    private string Conf => Path.Combine(_dir, "slurm.conf");

    private string Config(int ctld, int slurmd, int ghost) => $"""
        ClusterName={ClusterName}
        SlurmctldHost={Node}(127.0.0.1)
        SlurmUser=root
        SlurmdUser=root
        SlurmctldPort={ctld}
        SlurmdPort={slurmd}
        AuthType=auth/munge
        AuthInfo=socket={_dir}/munge.sock
        CredType=cred/munge
        AuthAltTypes=auth/jwt
        AuthAltParameters=jwt_key={_dir}/jwt.key
        StateSaveLocation={_dir}/state
        SlurmdSpoolDir={_dir}/spool
        SlurmctldPidFile={_dir}/slurmctld.pid
        SlurmdPidFile={_dir}/slurmd.pid
        SlurmctldLogFile={_dir}/log/slurmctld.log
        SlurmdLogFile={_dir}/log/slurmd.log
        PlugStackConfig={_dir}/plugstack.conf
        MpiDefault=none
        ProctrackType={(CgroupMemory ? "proctrack/cgroup" : "proctrack/linuxproc")}
        TaskPlugin={(CgroupMemory ? "task/cgroup" : "task/none")}
        JobAcctGatherType=jobacct_gather/linux
        JobAcctGatherFrequency=task=1
        JobAcctGatherParams={(CgroupMemory ? "NoOverMemoryKill" : "OverMemoryKill")}
        SelectType=select/cons_tres
        SelectTypeParameters=CR_Core_Memory
        SchedulerType=sched/backfill
        SchedulerParameters=sched_interval=2
        SlurmdParameters=config_overrides
        ReturnToService=2
        OverTimeLimit=0
        KillWait=2
        MinJobAge=600
        MailProg=/bin/true
        SlurmdTimeout=300
        NodeName={Node} NodeAddr=127.0.0.1 CPUs=4 RealMemory=3000 State=UNKNOWN
        NodeName={GhostNode} NodeAddr=127.0.0.1 Port={ghost} CPUs=4 RealMemory=3000 State=UNKNOWN
        PartitionName={Partition} Nodes={Node},{GhostNode} Default=YES MaxTime=60 State=UP
        PartitionName={ShortPartition} Nodes={Node} MaxTime=1 State=UP

        """;

    private void Start(string name, string command, params (string Key, string Value)[] environment)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"exec {command} >> {_dir}/log/{name}.out 2>&1"])
        {
            UseShellExecute = false, WorkingDirectory = _dir,
        };
        info.Environment["SLURM_CONF"] = Conf;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _daemons.Add(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}."));
    }

    private async Task<string> RunAsync(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["SLURM_CONF"] = Conf;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode == 0 ? await stdout
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {arguments}: exit {process.ExitCode}: {await stderr}{await stdout}");
    }

    private async Task WaitForAsync(Func<bool> ready, string what) => await WaitForAsync(() => Task.FromResult(ready()), what);

    private async Task WaitForAsync(Func<Task<bool>> ready, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"{dead.StartInfo.ArgumentList.LastOrDefault()} exited ({dead.ExitCode}) while waiting for {what}.\n{Logs()}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Not up yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Slurm: no {what} after {StartTimeout.TotalSeconds:0} s.\n{Logs()}");
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void WriteSecret(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    // task/cgroup leaves its per-node tree (slurm_<node>) behind; remove it where it is empty (rmdir refuses otherwise).
    private void RemoveEmptyCgroups()
    {
        if (!CgroupMemory)
        {
            return;
        }

        foreach (var root in Directory.GetDirectories("/sys/fs/cgroup").Select(c => Path.Combine(c, $"slurm_{Node}")).Where(Directory.Exists))
        {
            foreach (var dir in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(root))
            {
                try
                {
                    Directory.Delete(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Still in use or not ours to remove.
                }
            }
        }
    }

    // Slurm's cgroup/v1 plugin needs the memory controller mounted where it looks and a place to create its tree.
    private static bool CgroupV1MemoryWritable()
    {
        const string memory = "/sys/fs/cgroup/memory";
        if (!Directory.Exists(memory) || !File.Exists(Path.Combine(memory, "memory.limit_in_bytes")) || !Directory.Exists("/sys/fs/cgroup/freezer"))
        {
            return false;
        }

        var probe = Path.Combine(memory, $"mcp-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RealSlurmCollection : ICollectionFixture<RealSlurm>
{
    public const string Name = "real slurm";
}
