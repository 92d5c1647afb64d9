using System.Globalization;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>Short, exact renderings of Slurm facts shared by the tools (states, ranks, minutes, megabytes).</summary>
internal static class SlurmText
{
    /// <summary>Job states that end a job badly, in the order they are shown.</summary>
    public static readonly string[] FailedStates = ["NODE_FAIL", "BOOT_FAIL", "OUT_OF_MEMORY", "TIMEOUT", "FAILED", "DEADLINE", "PREEMPTED"];

    /// <summary>Every final state.</summary>
    public static readonly string[] FinalStates = [.. FailedStates, "CANCELLED", "COMPLETED"];

    /// <summary>Pending reasons that mean the job cannot start as it is (someone must act), as opposed to waiting its turn.</summary>
    public static bool IsStuck(SlurmJob job) => job.State == "PENDING" && JobReasons.Lookup(job.Reason).Kind != ReasonKind.Waiting;

    public static bool IsFinal(SlurmJob job) => FinalStates.Contains(job.State) && !job.StateFlags.Contains("COMPLETING");

    /// <summary>Failed first, then stuck, then pending, running, and the rest.</summary>
    public static int Rank(SlurmJob job) => job.State switch
    {
        _ when FailedStates.Contains(job.State) => 0,
        "PENDING" when IsStuck(job) => 1,
        "PENDING" => 2,
        "RUNNING" or "CONFIGURING" or "COMPLETING" or "SUSPENDED" => 3,
        "CANCELLED" => 4,
        _ => 5,
    };

    /// <summary>The state a person reads (sinfo's words): drained/draining are DRAIN flags on top of a base state.</summary>
    public static string NodeState(SlurmNode node)
    {
        var baseState = node.State.ToLowerInvariant();
        var drain = node.Flags.Contains("DRAIN");
        var state = node.State switch
        {
            "DOWN" => "down",
            _ when drain && node.State is "ALLOCATED" or "MIXED" => "draining",
            _ when drain => "drained",
            _ when node.Flags.Contains("FAIL") => "fail",
            _ => baseState.Length == 0 ? "unknown" : baseState,
        };
        if (node.Flags.Contains("POWERED_DOWN") || node.Flags.Contains("POWER_DOWN"))
        {
            state += "~";
        }

        return node.Flags.Contains("NOT_RESPONDING") ? state + "*" : state;
    }

    /// <summary>Broken first (down, drained, draining, fail), then busy, then idle.</summary>
    public static int NodeRank(SlurmNode node) => NodeState(node).TrimEnd('*', '~') switch
    {
        "down" => 0,
        "fail" => 1,
        "drained" => 2,
        "draining" => 3,
        "unknown" or "future" => 4,
        "mixed" => 5,
        "allocated" => 6,
        _ => 7,
    };

    /// <summary>Whether the node can take new work.</summary>
    public static bool IsUsable(SlurmNode node) => NodeRank(node) >= 5 && !node.Flags.Contains("NOT_RESPONDING");

    /// <summary>Slurm's time format for minutes: <c>30m</c>, <c>2h</c>, <c>1d12h</c>, <c>UNLIMITED</c>.</summary>
    public static string Minutes(long? minutes)
    {
        if (minutes is not { } m)
        {
            return "UNLIMITED";
        }

        return m < 60 ? $"{m}m"
            : m < 24 * 60 ? (m % 60 == 0 ? $"{m / 60}h" : $"{m / 60}h{m % 60:00}m")
            : (m % (24 * 60) == 0 ? $"{m / (24 * 60)}d" : $"{m / (24 * 60)}d{m % (24 * 60) / 60}h");
    }

    /// <summary>A duration: <c>45s</c>, <c>3m12s</c>, <c>2h05m</c>, <c>3d4h</c>.</summary>
    public static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalSeconds < 60 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 60 ? $"{(int)d.TotalMinutes}m{d.Seconds:00}s"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h{d.Minutes:00}m"
            : $"{(int)d.TotalDays}d{d.Hours}h";
    }

    /// <summary>Megabytes as Slurm writes them: <c>512M</c>, <c>4G</c>, <c>1.5T</c>.</summary>
    public static string Megabytes(long? mb) => mb switch
    {
        null => "",
        >= 1024 * 1024 => (mb.Value / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + "T",
        >= 1024 => (mb.Value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        _ => $"{mb}M",
    };

    /// <summary>How long it ran (to its end, or to now while running).</summary>
    public static string? RunTime(SlurmJob job, DateTimeOffset now) => job.Started is { } s
        ? Duration((job.Ended is { } e && e >= s ? e : now) - s)
        : null;

    /// <summary>Memory asked: per node or per CPU.</summary>
    public static string? Memory(SlurmJob job) => job.MemoryPerNodeMb is { } n and > 0 ? Megabytes(n) + "/node"
        : job.MemoryPerCpuMb is { } c and > 0 ? Megabytes(c) + "/cpu" : null;

    /// <summary>The exit code as <c>3</c>, or the signal as <c>signal 9 (SIGKILL)</c>.</summary>
    public static string? Exit(SlurmJob job) => job.Signal is { } s ? (SignalName(s) is { } name ? $"signal {s} ({name})" : $"signal {s}")
        : job.ExitCode is { } c && (c != 0 || job.State is "COMPLETED" or "FAILED") ? c.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>The name of a POSIX signal; null for numbers Slurm uses as markers (its OOM kill reports 125).</summary>
    public static string? SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1",
        11 => "SIGSEGV", 12 => "SIGUSR2", 13 => "SIGPIPE", 14 => "SIGALRM", 15 => "SIGTERM", 24 => "SIGXCPU", 25 => "SIGXFSZ",
        _ => null,
    };

    /// <summary>Counts as <c>FAILED 2, PENDING 5</c> in rank order.</summary>
    public static string Counts(IEnumerable<SlurmJob> jobs) => string.Join(", ", jobs.GroupBy(j => j.State)
        .OrderBy(g => Rank(g.First())).ThenByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>Where the job's output goes: its own path, else Slurm's default in the work dir.</summary>
    public static string? StdOut(SlurmJob job) => job.StdOut ?? DefaultOutput(job);

    public static string? StdErr(SlurmJob job) => job.StdErr ?? job.StdOut ?? DefaultOutput(job);

    private static string? DefaultOutput(SlurmJob job) => job.WorkDir is not { } dir ? null
        : job.ArrayJobId is { } a && job.ArrayTaskId is { } t ? $"{dir.TrimEnd('/')}/slurm-{a}_{t}.out (default)"
        : $"{dir.TrimEnd('/')}/slurm-{job.JobId}.out (default)";
}
