using System.Globalization;

namespace McpCloudTools.Bench;

/// <summary>
/// Whether a part of the benchmark ran on a quiet machine. Sampled before, during and after the part: the load average
/// (reported), and the CPU time of the whole machine against that of the benchmark and every process it started
/// (<see cref="CpuTimes"/>). The launches measured keep both cores busy themselves, and the 1-minute load average
/// carries a part's load into the next, so neither the load during a part nor before a later one says anything about
/// anyone else. What makes a figure not a result is a machine busy when the benchmark started (<see cref="AtStart"/>:
/// 1-minute load above <see cref="Threshold"/>) or other processes taking more than <see cref="OthersThreshold"/> of
/// the CPU while a part ran.
/// </summary>
internal sealed class LoadMonitor(string part, Func<(double One, double Five, double Fifteen)>? read = null, Func<CpuTimes?>? cpu = null)
{
    public const double Threshold = 0.5;

    /// <summary>The share of the machine's CPU time other processes may take during a part.</summary>
    public const double OthersThreshold = 0.10;

    private readonly Func<(double One, double Five, double Fifteen)> _read = read ?? ReadProc;
    private readonly Func<CpuTimes?> _cpu = cpu ?? CpuTimes.Read;
    private readonly List<(string When, double One, double Five, double Fifteen, CpuTimes? Cpu)> _samples = [];

    public string Part => part;

    public double MaxOne => _samples.Count == 0 ? 0 : _samples.Max(s => s.One);

    /// <summary>The share of the machine's CPU time that processes other than ours took between the first and last sample, when known.</summary>
    public double? OthersShare =>
        _samples.Count >= 2 && _samples[0].Cpu is { } first && _samples[^1].Cpu is { } last && last.MachineTotal > first.MachineTotal
            ? Math.Max(0, (double)(last.MachineBusy - first.MachineBusy - (last.Ours - first.Ours)) / (last.MachineTotal - first.MachineTotal))
            : null;

    public bool Loaded => OthersShare > OthersThreshold;

    /// <summary>The warning the report carries when the machine was busy as the benchmark started (given its 1-minute load average), else null.</summary>
    public static string? AtStart(double oneMinute) => oneMinute > Threshold
        ? string.Create(CultureInfo.InvariantCulture,
            $"WARNING: the 1-minute load average was {oneMinute:0.00} (> {Threshold:0.0}) when the benchmark started; the machine was busy, so these figures are not a result. Re-run on a quiet machine.")
        : null;

    /// <summary>The 1-minute load average now (NaN where <c>/proc</c> does not exist).</summary>
    public static double OneMinuteNow() => ReadProc().Item1;

    public void Sample(string when)
    {
        var (one, five, fifteen) = _read();
        _samples.Add((when, one, five, fifteen, _cpu()));
    }

    /// <summary>One line: the first sample, the highest 1-minute figure in between, the last sample, and the others' share of the CPU.</summary>
    public string Summary()
    {
        if (_samples.Count == 0)
        {
            return $"Load average ({part}): not sampled.";
        }

        var first = _samples[0];
        var last = _samples[^1];
        var during = _samples.Count > 2 ? _samples.Skip(1).SkipLast(1).Max(s => s.One) : Math.Max(first.One, last.One);
        var others = OthersShare is { } share ? string.Create(CultureInfo.InvariantCulture, $" Other processes took {share:0.0%} of the CPU meanwhile.") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Load average ({part}; 1/5/15 min): before {first.One:0.00}/{first.Five:0.00}/{first.Fifteen:0.00}, during max {during:0.00} ({_samples.Count} samples), after {last.One:0.00}/{last.Five:0.00}/{last.Fifteen:0.00}.{others}");
    }

    /// <summary>The warning the report carries when the machine was busy, else null.</summary>
    public string? Warning() =>
        OthersShare is { } share && share > OthersThreshold
            ? string.Create(CultureInfo.InvariantCulture,
                $"WARNING ({part}): other processes took {share:0.0%} of the CPU while it ran (> {OthersThreshold:0%}); these figures are not a result. Re-run on a quiet machine.")
            : null;

    private static (double, double, double) ReadProc()
    {
        if (!File.Exists("/proc/loadavg"))
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var f = File.ReadAllText("/proc/loadavg").Split(' ');
        return (Parse(f[0]), Parse(f[1]), Parse(f[2]));
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>
/// CPU time in clock ticks: the whole machine's busy and total time (<c>/proc/stat</c>), and ours: the benchmark's own,
/// that of the processes it has reaped, and that of every live process it started (children, their children: dnx's
/// server, PostgreSQL's backends) with what they have reaped.
/// </summary>
internal readonly record struct CpuTimes(long MachineBusy, long MachineTotal, long Ours)
{
    /// <summary>Reads them now, or null where <c>/proc</c> does not exist.</summary>
    public static CpuTimes? Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + (cpu.Length > 7 ? cpu[7] : 0);
        var total = busy + cpu[3] + cpu[4];
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
                ticks[pid] = stat.Ticks;
            }
        }

        var self = Environment.ProcessId;
        var ours = ticks.GetValueOrDefault(self);
        foreach (var (pid, t) in ticks)
        {
            for (var p = parents[pid]; p > 1 && parents.ContainsKey(p); p = parents[p])
            {
                if (p == self)
                {
                    ours += t;
                    break;
                }
            }
        }

        return new CpuTimes(busy, total, ours);
    }

    /// <summary>A process's parent and its utime + stime + cutime + cstime, or null if it is gone.</summary>
    public static (int Parent, long Ticks)? Parse(string stat)
    {
        // pid (comm) state ppid … utime(14) stime(15) cutime(16) cstime(17); comm may hold spaces and parentheses.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var f = stat[(close + 2)..].Split(' ');
        return f.Length < 15 ? null : (int.Parse(f[1], CultureInfo.InvariantCulture),
            long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
            + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture));
    }

    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
