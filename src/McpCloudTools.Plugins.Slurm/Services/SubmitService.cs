using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>What <c>slurm_job_submit</c> was given.</summary>
internal sealed record SubmitArguments(string? Script, string? Command, string? Name, string? Partition, int? Nodes, int? Tasks, int? CpusPerTask,
    long? MemoryMb, int? TimeMinutes, string? Array, string? Dependency, IReadOnlyDictionary<string, string>? Environment, string? WorkDir, string? ClusterId);

/// <summary>
/// Submits a batch job after checking the request against the partition's nodes and limits (warnings, not refusals:
/// Slurm decides), with every size bounded and every value validated before it is sent.
/// </summary>
internal sealed class SubmitService(SlurmTargets targets)
{
    public const int MaxEnvironmentEntries = 128;
    public const string DefaultWorkDir = "/tmp";
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    public async Task<string> SubmitAsync(SubmitArguments a, CancellationToken cancellationToken)
    {
        var request = Validate(a);
        var target = await targets.ClusterAsync(a.ClusterId, cancellationToken).ConfigureAwait(false);
        var warnings = await CheckAsync(target, request, cancellationToken).ConfigureAwait(false);
        SlurmSubmitResult result;
        try
        {
            result = await target.Client.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SlurmApiException e) when (warnings.Count > 0)
        {
            throw new ToolException(e.Message + " Before submitting: " + string.Join("; ", warnings), e);
        }

        var o = new ToolOutput().Line($"submitted job {result.JobId} ({request.Name ?? "unnamed"}) to {target.Cluster.Id}" +
                                      (request.Partition is { } p ? $", partition {p}" : ", default partition"));
        o.Field("asks", string.Join(", ", new[]
        {
            request.Nodes is { } n ? $"{n} nodes" : null, request.Tasks is { } t ? $"{t} tasks" : null,
            request.CpusPerTask is { } c ? $"{c} CPUs/task" : null, request.MemoryPerNodeMb is { } m ? SlurmText.Megabytes(m) + "/node" : null,
            request.TimeLimitMinutes is { } tm ? "time " + SlurmText.Minutes(tm) : null, request.Array is { } arr ? $"array {arr}" : null,
            request.Dependency is { } d ? $"dependency {d}" : null,
        }.Where(s => s is not null)));
        o.Field("work dir", request.WorkDir + (string.IsNullOrWhiteSpace(a.WorkDir) ? " (default)" : ""));
        o.Field("environment", string.Join(", ", request.Environment.Select(kv => $"{kv.Key}={Redactor.Sensitive(kv.Value)}")));
        o.Field("slurm says", result.UserMessage);
        foreach (var w in result.Warnings.Concat(warnings).Distinct())
        {
            o.Line("warning: " + w);
        }

        return o.Line($"next: slurm_job_wait job_id={result.JobId}, or slurm_job_diagnose job_id={result.JobId} if it stays PENDING").ToString();
    }

    // The call guard has checked every value against its rule (SlurmNames) already; checking again here keeps the rules
    // true for any caller, with the same objects, and turns the values into what is sent (free text trimmed as checked).
    internal static SlurmJobRequest Validate(SubmitArguments a)
    {
        var script = SlurmNames.Script.Optional(a.Script?.Trim(), "script");
        var command = SlurmNames.Command.Optional(a.Command?.Trim(), "command");
        if ((script is null) == (command is null))
        {
            throw new ToolException("Give either script (a whole batch script starting with #!) or command (one shell command line), not both or neither.");
        }

        var workDir = SlurmNames.WorkDir.Optional(a.WorkDir, "work_dir") ?? DefaultWorkDir;
        return new SlurmJobRequest
        {
            Script = script is not null ? script.ReplaceLineEndings("\n") + "\n" : "#!/bin/bash\n" + command + "\n",
            Name = SlurmNames.JobName.Optional(a.Name?.Trim(), "name"),
            Partition = SlurmNames.Partition.Optional(a.Partition, "partition"),
            Nodes = Range(a.Nodes, "nodes", 1, 100_000), Tasks = Range(a.Tasks, "tasks", 1, 10_000_000),
            CpusPerTask = Range(a.CpusPerTask, "cpus_per_task", 1, 100_000),
            MemoryPerNodeMb = a.MemoryMb is { } m ? (m is >= 1 and <= 1L << 36 ? m : throw new ToolException($"memory_mb must be between 1 and {1L << 36} (MB per node), got {m}.")) : null,
            TimeLimitMinutes = Range(a.TimeMinutes, "time_minutes", 1, 365 * 24 * 60),
            Array = SlurmNames.Array.Optional(a.Array, "array"), Dependency = SlurmNames.Dependency.Optional(a.Dependency, "dependency"),
            Environment = Environment(a.Environment), WorkDir = workDir,
        };
    }

    // What Slurm would refuse or never run, said before it does.
    private static async Task<List<string>> CheckAsync(SlurmTarget target, SlurmJobRequest r, CancellationToken cancellationToken)
    {
        var partitionsTask = target.Client.PartitionsAsync(cancellationToken);
        var nodesTask = target.Client.NodesAsync(cancellationToken);
        await Task.WhenAll(partitionsTask, nodesTask).ConfigureAwait(false);
        var partitions = await partitionsTask.ConfigureAwait(false);
        var warnings = new List<string>();
        var partition = r.Partition is { } name
            ? partitions.FirstOrDefault(p => p.Name == name) ?? throw new ToolException(
                $"No partition '{name}' in {target.Cluster.Id}. Partitions: {string.Join(", ", partitions.Select(p => p.Name))}.")
            : partitions.FirstOrDefault(p => p.IsDefault);
        if (partition is null)
        {
            return warnings;
        }

        var nodes = (await nodesTask.ConfigureAwait(false)).Where(n => n.Partitions.Contains(partition.Name)).ToList();
        if (partition.State != "UP")
        {
            warnings.Add($"partition {partition.Name} is {partition.State}: the job will queue but not start");
        }

        if (r.TimeLimitMinutes is { } t && partition.MaxTimeMinutes is { } max && t > max)
        {
            warnings.Add($"time {SlurmText.Minutes(t)} is above partition {partition.Name}'s maximum {SlurmText.Minutes(max)}: it will pend (PartitionTimeLimit) or be refused");
        }

        var perNodeCpus = r.Tasks is { } tasks ? (long)Math.Ceiling(tasks * (double)(r.CpusPerTask ?? 1) / (r.Nodes ?? 1)) : r.CpusPerTask ?? 1;
        var fit = nodes.Where(n => n.Cpus >= perNodeCpus && (r.MemoryPerNodeMb is not { } mem || n.MemoryMb >= mem)).ToList();
        if (nodes.Count > 0 && fit.Count == 0)
        {
            var biggest = nodes.OrderByDescending(n => n.Cpus).ThenByDescending(n => n.MemoryMb).First();
            warnings.Add($"no node of partition {partition.Name} has {perNodeCpus} CPUs" + (r.MemoryPerNodeMb is { } m ? $" and {SlurmText.Megabytes(m)}" : "") +
                         $" (largest: {biggest.Name}, {biggest.Cpus} CPUs, {SlurmText.Megabytes(biggest.MemoryMb)}): it cannot run there");
        }
        else if (r.Nodes is { } n && fit.Count < n)
        {
            warnings.Add($"it asks {n} nodes; partition {partition.Name} has {fit.Count} that can hold its share");
        }
        else if (fit.Count > 0 && !fit.Any(SlurmText.IsUsable))
        {
            warnings.Add($"every node of partition {partition.Name} that can hold it is down or drained now: it will pend until one returns");
        }

        return warnings;
    }

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? environment)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            if (SlurmNames.EnvironmentName.Problem(key) is { } keyProblem)
            {
                throw ArgumentError.Invalid("environment key", key, keyProblem, SlurmNames.EnvironmentName);
            }

            if (SlurmNames.EnvironmentValue.Problem(value ?? "") is { } valueProblem)
            {
                throw ArgumentError.Invalid($"environment.{key}", value ?? "", valueProblem, SlurmNames.EnvironmentValue);
            }

            env[key] = value ?? "";
        }

        if (env.Count > MaxEnvironmentEntries)
        {
            throw new ToolException($"environment has {env.Count} entries; at most {MaxEnvironmentEntries}.");
        }

        // slurmrestd needs an environment; without PATH the script finds no commands.
        env.TryAdd("PATH", DefaultPath);
        return env;
    }

    private static int? Range(int? value, string name, int min, int max) =>
        value is null || (value >= min && value <= max) ? value
            : throw new ToolException($"{name} must be between {min} and {max.ToString("N0", CultureInfo.InvariantCulture)}, got {value}.");
}
