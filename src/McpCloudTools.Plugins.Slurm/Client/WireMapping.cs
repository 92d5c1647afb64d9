using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>
/// Maps both wire versions into the one model. v0.0.38 writes flat numbers (a raw wait status for exit codes,
/// <c>0</c> for unset times, 0xFFFFFFFE/0xFFFFFFFF for NO_VAL/INFINITE) and a state string plus flags; v0.0.41 writes
/// state arrays and <c>{set, infinite, number}</c> structs.
/// </summary>
internal static class WireMapping
{
    private const long NoVal32 = 0xFFFFFFFE;

    public static SlurmJob Job(Job38 j)
    {
        int? exit = null, signal = null;
        if (j.ExitCode is { } status and >= 0 and < NoVal32)
        {
            exit = (int)((status >> 8) & 0xFF);
            var sig = (int)(status & 0x7F);
            signal = sig == 0 ? null : sig;
        }

        return new SlurmJob
        {
            JobId = j.JobId, Name = j.Name ?? "", User = j.UserName ?? "", Partition = j.Partition ?? "",
            State = (j.JobState ?? "").ToUpperInvariant(), Reason = Reason(j.StateReason), StateDescription = Blank(j.StateDescription),
            ArrayJobId = Positive(j.ArrayJobId), ArrayTaskId = Number(j.ArrayTaskId), ArrayTasks = Blank(j.ArrayTaskString),
            Submitted = Time(j.SubmitTime), Eligible = Time(j.EligibleTime), Started = Time(j.StartTime), Ended = Time(j.EndTime),
            TimeLimitMinutes = Number(j.TimeLimit), ExitCode = exit, Signal = signal,
            Cpus = Number(j.Cpus), NodeCount = Number(j.NodeCount), Tasks = Number(j.Tasks), CpusPerTask = Number(j.CpusPerTask),
            MemoryPerNodeMb = Number(j.MemoryPerNode), MemoryPerCpuMb = Number(j.MemoryPerCpu),
            Nodes = Blank(j.Nodes), RequiredNodes = Blank(j.RequiredNodes), Features = Blank(j.Features), Dependency = Blank(j.Dependency),
            WorkDir = Blank(j.CurrentWorkingDirectory), StdOut = Blank(j.StandardOutput), StdErr = Blank(j.StandardError),
            TresRequested = Blank(j.TresReqStr), TresAllocated = Blank(j.TresAllocStr), Qos = Blank(j.Qos), Account = Blank(j.Account),
            BatchHost = Blank(j.BatchHost), Priority = Number(j.Priority), Command = Blank(j.Command),
        };
    }

    public static SlurmJob Job(Job41 j)
    {
        var states = j.JobState ?? [];
        var exit = j.ExitCode;
        return new SlurmJob
        {
            JobId = j.JobId, Name = j.Name ?? "", User = j.UserName ?? "", Partition = j.Partition ?? "",
            State = states.Count > 0 ? states[0].ToUpperInvariant() : "", StateFlags = [.. states.Skip(1).Select(s => s.ToUpperInvariant())],
            Reason = Reason(j.StateReason), StateDescription = Blank(j.StateDescription),
            ArrayJobId = Positive(j.ArrayJobId?.Value), ArrayTaskId = j.ArrayTaskId?.Value, ArrayTasks = Blank(j.ArrayTaskString),
            Submitted = Time(j.SubmitTime?.Value), Eligible = Time(j.EligibleTime?.Value), Started = Time(j.StartTime?.Value), Ended = Time(j.EndTime?.Value),
            TimeLimitMinutes = j.TimeLimit?.Value,
            ExitCode = exit?.ReturnCode?.Value is { } rc ? (int)rc : null,
            Signal = exit?.Signal?.Id?.Value is { } s and > 0 ? (int)s : null,
            Cpus = j.Cpus?.Value, NodeCount = j.NodeCount?.Value, Tasks = j.Tasks?.Value, CpusPerTask = j.CpusPerTask?.Value,
            MemoryPerNodeMb = j.MemoryPerNode?.Value, MemoryPerCpuMb = j.MemoryPerCpu?.Value,
            Nodes = Blank(j.Nodes), RequiredNodes = Blank(j.RequiredNodes), Features = Blank(j.Features), Dependency = Blank(j.Dependency),
            WorkDir = Blank(j.CurrentWorkingDirectory), StdOut = Blank(j.StandardOutput), StdErr = Blank(j.StandardError),
            TresRequested = Blank(j.TresReqStr), TresAllocated = Blank(j.TresAllocStr), Qos = Blank(j.Qos), Account = Blank(j.Account),
            BatchHost = Blank(j.BatchHost), Priority = j.Priority?.Value, Command = Blank(j.Command),
        };
    }

    public static SlurmNode Node(Node38 n) => new()
    {
        Name = n.Name, State = (n.State ?? "").ToUpperInvariant(), Flags = [.. (n.StateFlags ?? []).Select(f => f.ToUpperInvariant())],
        Reason = Blank(n.Reason), ReasonSetBy = Blank(n.ReasonSetByUser), ReasonSince = Time(n.ReasonChangedAt),
        Cpus = n.Cpus ?? 0, AllocatedCpus = n.AllocCpus ?? 0, MemoryMb = n.RealMemory ?? 0, AllocatedMemoryMb = n.AllocMemory ?? 0,
        FreeMemoryMb = n.FreeMemory is >= 0 and < NoVal32 ? n.FreeMemory : null,
        Features = Split(n.Features), Partitions = n.Partitions ?? [], CpuLoad = n.CpuLoad is >= 0 and < NoVal32 ? n.CpuLoad : null,
    };

    public static SlurmNode Node(Node41 n)
    {
        var states = (n.State ?? []).Select(s => s.ToUpperInvariant()).ToList();
        return new SlurmNode
        {
            Name = n.Name, State = states.Count > 0 ? states[0] : "", Flags = [.. states.Skip(1)],
            Reason = Blank(n.Reason), ReasonSetBy = Blank(n.ReasonSetByUser), ReasonSince = Time(n.ReasonChangedAt?.Value),
            Cpus = n.Cpus ?? 0, AllocatedCpus = n.AllocCpus ?? 0, MemoryMb = n.RealMemory ?? 0, AllocatedMemoryMb = n.AllocMemory ?? 0,
            FreeMemoryMb = n.FreeMem?.Value, Features = n.Features ?? [], Partitions = n.Partitions ?? [],
            CpuLoad = n.CpuLoad is >= 0 and < NoVal32 ? n.CpuLoad : null,
        };
    }

    public static SlurmPartition Partition(Partition38 p) => new()
    {
        Name = p.Name, State = (p.State ?? "").ToUpperInvariant(), NodeList = Blank(p.Nodes), TotalNodes = p.TotalNodes ?? 0, TotalCpus = p.TotalCpus ?? 0,
        MaxTimeMinutes = Number(p.MaxTimeLimit), DefaultTimeMinutes = Number(p.DefaultTimeLimit), MaxNodesPerJob = Positive(p.MaximumNodesPerJob),
        MaxMemoryPerNodeMb = Positive(p.MaximumMemoryPerNode),
        IsDefault = (p.Flags ?? []).Any(f => string.Equals(f, "default", StringComparison.OrdinalIgnoreCase)),
    };

    public static SlurmPartition Partition(Partition41 p) => new()
    {
        Name = p.Name, State = (p.Partition?.State ?? []).FirstOrDefault()?.ToUpperInvariant() ?? "",
        NodeList = Blank(p.Nodes?.Configured), TotalNodes = p.Nodes?.Total ?? 0, TotalCpus = p.Cpus?.Total ?? 0,
        MaxTimeMinutes = p.Maximums?.Time?.Value, DefaultTimeMinutes = p.Defaults?.Time?.Value, MaxNodesPerJob = Positive(p.Maximums?.Nodes?.Value),
        MaxMemoryPerNodeMb = Positive(p.Maximums?.PartitionMemoryPerNode?.Value),
    };

    public static Submit38Request Submit38(SlurmJobRequest r) => new()
    {
        Script = r.Script,
        Job = new SubmitJob38
        {
            Name = r.Name, Partition = r.Partition, Nodes = r.Nodes is { } n ? [n, n] : null, Tasks = r.Tasks, CpusPerTask = r.CpusPerTask,
            MemoryPerNode = r.MemoryPerNodeMb, TimeLimit = r.TimeLimitMinutes, Array = r.Array, Dependency = r.Dependency,
            Environment = r.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), CurrentWorkingDirectory = r.WorkDir,
        },
    };

    public static Submit41Request Submit41(SlurmJobRequest r) => new()
    {
        Job = new SubmitJob41
        {
            Script = r.Script, Name = r.Name, Partition = r.Partition, MinimumNodes = r.Nodes, MaximumNodes = r.Nodes, Tasks = r.Tasks,
            CpusPerTask = r.CpusPerTask, MemoryPerNode = r.MemoryPerNodeMb is { } m ? WireNoVal.Of(m) : null,
            TimeLimit = r.TimeLimitMinutes is { } t ? WireNoVal.Of(t) : null, Array = r.Array, Dependency = r.Dependency,
            Environment = [.. r.Environment.Select(kv => $"{kv.Key}={kv.Value}")], CurrentWorkingDirectory = r.WorkDir,
        },
    };

    private static string? Reason(string? reason) => string.IsNullOrWhiteSpace(reason) || reason == "None" ? null : reason.Trim();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) || s == "(null)" ? null : s.Trim();

    private static long? Number(long? v) => v is >= 0 and < NoVal32 ? v : null;

    private static long? Positive(long? v) => v is > 0 and < NoVal32 ? v : null;

    private static DateTimeOffset? Time(long? epoch) => epoch is > 0 and < NoVal32 ? DateTimeOffset.FromUnixTimeSeconds(epoch.Value) : null;

    private static List<string> Split(string? csv) => [.. (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
