using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>What a job asks for: vCPUs, memory (MiB) and GPUs, from resource requirements or the legacy fields.</summary>
internal readonly record struct JobNeeds(double? Vcpus, int? MemoryMiB, int? Gpus)
{
    public override string ToString() => string.Join(", ", new[]
    {
        Vcpus is { } v ? $"{v.ToString("0.##", CultureInfo.InvariantCulture)} vCPU" : null,
        MemoryMiB is { } m ? $"{m} MiB" : null,
        Gpus is { } g ? $"{g} GPU" : null,
    }.Where(s => s is not null));
}

/// <summary>Shared vocabulary of the Batch tools: statuses and their order, times, durations, names, reasons.</summary>
internal static class JobText
{
    /// <summary>Lifecycle order.</summary>
    public static readonly string[] Statuses = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"];

    /// <summary>Problems first: failed, then stuck-looking, then in flight, then done.</summary>
    public static readonly string[] ProblemOrder = ["FAILED", "RUNNABLE", "PENDING", "SUBMITTED", "STARTING", "RUNNING", "SUCCEEDED"];

    public const string ContainerExited = "Essential container in task exited";

    public static bool IsFinal(string? status) => status is "SUCCEEDED" or "FAILED";

    public static int Rank(string? status) => Array.IndexOf(ProblemOrder, status) is var i and >= 0 ? i : ProblemOrder.Length;

    /// <summary>Reads a <c>status</c> argument: one status or a comma-separated list, any case; null means all.</summary>
    public static IReadOnlyList<string>? ParseStatuses(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        var wanted = status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).Distinct().ToList();
        var unknown = wanted.Where(s => !Statuses.Contains(s)).ToList();
        return unknown.Count == 0 ? wanted : throw new ToolException(
            $"Unknown job status '{string.Join(", ", unknown)}'. Valid: {string.Join(", ", Statuses)} (comma-separate several); omit status for all.");
    }

    public static DateTimeOffset? Time(long? epochMs) => epochMs is { } ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Compact duration: <c>45s</c>, <c>5m12s</c>, <c>3h04m</c>, <c>2d03h</c>.</summary>
    public static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalSeconds < 60 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 60 ? $"{(int)d.TotalMinutes}m{d.Seconds:00}s"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h{d.Minutes:00}m"
            : $"{(int)d.TotalDays}d{d.Hours:00}h";
    }

    /// <summary>How long a job ran (started → stopped, or → now while running); empty before it started.</summary>
    public static string RunTime(long? startedAt, long? stoppedAt, DateTimeOffset now) =>
        Time(startedAt) is { } start ? Duration((Time(stoppedAt) ?? now) - start) : "";

    /// <summary>The last part of an ARN (<c>job-queue/name</c> → <c>name</c>, <c>job-definition/d:3</c> → <c>d:3</c>).</summary>
    public static string Name(string? arnOrName)
    {
        if (string.IsNullOrEmpty(arnOrName))
        {
            return "";
        }

        if (!arnOrName.StartsWith("arn:", StringComparison.Ordinal))
        {
            return arnOrName;
        }

        var slash = arnOrName.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? arnOrName[(slash + 1)..] : arnOrName;
    }

    /// <summary>The most telling reason of a finished job: the container's (OutOfMemoryError…) over the generic status reason.</summary>
    public static string? Reason(string? status, string? statusReason, string? containerReason)
    {
        if (status == "SUCCEEDED")
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(containerReason))
        {
            return containerReason;
        }

        return statusReason == ContainerExited ? null : statusReason;
    }

    /// <summary>What a job's container asks for: resource requirements win over the legacy vcpus/memory fields.</summary>
    public static JobNeeds Needs(IReadOnlyList<ResourceRequirement>? requirements, int? vcpus, int? memory)
    {
        double? v = vcpus;
        int? m = memory;
        int? g = null;
        foreach (var r in requirements ?? [])
        {
            switch (r.Type)
            {
                case "VCPU" when double.TryParse(r.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpu):
                    v = cpu;
                    break;
                case "MEMORY" when int.TryParse(r.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mem):
                    m = mem;
                    break;
                case "GPU" when int.TryParse(r.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var gpu):
                    g = gpu;
                    break;
            }
        }

        return new JobNeeds(v, m, g);
    }

    public static JobNeeds Needs(ContainerDetail? c) => Needs(c?.ResourceRequirements, c?.Vcpus, c?.Memory);

    public static JobNeeds Needs(ContainerProperties? c) => Needs(c?.ResourceRequirements, c?.Vcpus, c?.Memory);

    /// <summary>Counts in lifecycle order with lower-case names: <c>runnable 2, running 1</c>.</summary>
    public static string Counts(IReadOnlyDictionary<string, int>? counts, IEnumerable<string>? order = null) =>
        counts is null ? "" : Core.Output.Fmt.Counts((order ?? ProblemOrder).Select(s => new KeyValuePair<string, int>(s.ToLowerInvariant(),
            counts.TryGetValue(s, out var n) ? n : 0)));

    /// <summary>The log stream of the last attempt that has one.</summary>
    public static string? LogStream(JobDetail job) =>
        job.Attempts?.LastOrDefault(a => !string.IsNullOrEmpty(a.Container?.LogStreamName))?.Container?.LogStreamName ?? job.Container?.LogStreamName;

    /// <summary>The log group: the awslogs driver's group when the job sets one, else Batch's default.</summary>
    public static string LogGroup(JobDetail job) =>
        job.Container?.LogConfiguration is { LogDriver: "awslogs", Options: { } o } && o.TryGetValue("awslogs-group", out var g) && !string.IsNullOrEmpty(g)
            ? g
            : "/aws/batch/job";

    /// <summary>True for an array job's parent (it has a size, no index).</summary>
    public static bool IsArrayParent(JobDetail job) => job.ArrayProperties is { Size: > 0, Index: null };
}
