using System.Globalization;
using System.Text.RegularExpressions;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>Everything diagnosis looks at, gathered beforehand so the reasoning stays pure and testable.</summary>
/// <param name="Job">The job (one record: a task of an array, or the job).</param>
/// <param name="Now">The current time.</param>
/// <param name="Partition">Its partition, when it could be read.</param>
/// <param name="Nodes">The cluster's nodes.</param>
/// <param name="Queue">The cluster's other jobs (for dependencies, the line ahead, the user's running jobs).</param>
internal sealed record DiagnosisInput(SlurmJob Job, DateTimeOffset Now, SlurmPartition? Partition, IReadOnlyList<SlurmNode> Nodes, IReadOnlyList<SlurmJob> Queue);

/// <summary>The likely cause in one line, what to do about it, and the facts that support it.</summary>
internal sealed record Diagnosis(string Cause, string? Fix, IReadOnlyList<string> Evidence);

/// <summary>
/// Why a job is pending or why it failed, by the rules Slurm users meet: pending reasons against the partition's
/// limits, node states and dependencies; OUT_OF_MEMORY, TIMEOUT against the time limit, NODE_FAIL, exit codes and
/// signals with a meaning. Pure logic.
/// </summary>
internal static partial class JobDiagnosis
{
    public static Diagnosis Diagnose(DiagnosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = input.Job;
        return job.State switch
        {
            "PENDING" => Pending(input),
            "OUT_OF_MEMORY" => OutOfMemory(job),
            "TIMEOUT" => Timeout(job),
            "NODE_FAIL" => NodeFail(input),
            "BOOT_FAIL" => new($"a node allocated to it failed to boot{On(job)}",
                "resubmit; on ParallelCluster a cloud node that fails to launch usually means EC2 capacity or quota (check the node's reason in slurm_node_list)",
                NodeEvidence(input, job.Nodes)),
            "FAILED" => Failed(input),
            "CANCELLED" => new($"cancelled{After(job)}" + (job.Reason is { } r && r != "None" ? $" (reason {r})" : "") + " by its user or an administrator (scancel)",
                null, Timeline(job)),
            "DEADLINE" => new("it did not finish before its --deadline", "resubmit with a later deadline or a shorter run", Timeline(job)),
            "PREEMPTED" => new("preempted by a higher-priority job", "resubmit, or use a partition/QOS that is not preemptible; --requeue lets Slurm requeue it", Timeline(job)),
            "COMPLETED" => new($"completed successfully (exit 0){After(job)}; nothing to diagnose", null, []),
            "RUNNING" or "CONFIGURING" or "COMPLETING" => Running(input),
            "SUSPENDED" => new("suspended by an administrator or by gang scheduling", "scontrol resume ID (administrators)", []),
            _ => new($"state {job.State}: nothing known to diagnose", null, []),
        };
    }

    private static Diagnosis Pending(DiagnosisInput input)
    {
        var job = input.Job;
        var reason = JobReasons.Lookup(job.Reason);
        var waited = job.Submitted is { } s ? $" for {SlurmText.Duration(input.Now - s)}" : "";
        var evidence = new List<string> { $"PENDING{waited}, reason {reason.Code}: asks {Asks(job)}" };
        var head = reason.Code.Split(',', 2)[0].Trim();
        var cause = (reason.Kind == ReasonKind.Never ? "will never start as submitted: " : "") + reason.Meaning;
        var fix = reason.Unblock;
        var p = input.Partition;
        if (p is not null)
        {
            evidence.Add($"partition {p.Name}: {p.State}, max time {SlurmText.Minutes(p.MaxTimeMinutes)}" +
                         (p.MaxNodesPerJob is { } mn ? $", max {mn} nodes/job" : "") + $", {p.TotalNodes} nodes, {p.TotalCpus} CPUs");
        }

        switch (head)
        {
            case "PartitionTimeLimit" when p?.MaxTimeMinutes is { } max:
                cause = $"will never start as submitted: its time limit {SlurmText.Minutes(job.TimeLimitMinutes)} is above partition {p.Name}'s maximum {SlurmText.Minutes(max)}";
                fix = $"cancel and resubmit with time ≤ {SlurmText.Minutes(max)}" + Elsewhere(input, job) + ", or ask an administrator to raise MaxTime";
                break;
            case "PartitionNodeLimit" when p is not null:
                cause = $"will never start as submitted: it asks {job.NodeCount} nodes; partition {p.Name} allows " +
                        (p.MaxNodesPerJob is { } n ? $"at most {n} per job" : $"{p.TotalNodes} in all");
                break;
            case "PartitionDown" or "PartitionInactive" when p is not null:
                cause = $"partition {p.Name} is {p.State}: jobs queue but none start";
                fix = "wait for an administrator to set it UP, or cancel and resubmit" + Elsewhere(input, job);
                break;
            case "Dependency" or "DependencyNeverSatisfied":
                DependencyEvidence(input, evidence, ref cause, ref fix);
                break;
            case "ReqNodeNotAvail" or "NodeDown" or "NodeNotAvail" or "Resources" or "PowerUpNode" or "Configuring":
                evidence.AddRange(NodeEvidence(input, job.RequiredNodes ?? UnavailableNodes(reason.Code)));
                if (head == "Resources")
                {
                    var usable = PartitionNodes(input).Where(SlurmText.IsUsable).ToList();
                    var idle = usable.Sum(n => n.Cpus - n.AllocatedCpus);
                    evidence.Add($"{idle} idle CPUs on {usable.Count} usable nodes of the partition now");
                    if (job.Cpus is { } want && PartitionNodes(input).Count > 0 && PartitionNodes(input).All(n => !SlurmText.IsUsable(n)))
                    {
                        cause = $"no node of partition {job.Partition} is usable (all down, drained or not responding), so its {want} CPUs cannot be placed";
                        fix = "nodes must come back (an administrator resumes them: scontrol update nodename=... state=resume)";
                    }
                }

                break;
            case "Priority":
                var ahead = input.Queue.Count(j => j.State == "PENDING" && j.Partition == job.Partition && j.JobId != job.JobId && (j.Priority ?? 0) > (job.Priority ?? 0));
                evidence.Add($"{ahead} pending jobs with a higher priority in partition {job.Partition}");
                break;
            case "QOSMaxJobsPerUserLimit" or "AssocMaxJobsLimit" or "QOSMaxCpuPerUserLimit":
                var running = input.Queue.Count(j => j.User == job.User && j.State == "RUNNING");
                evidence.Add($"user {job.User} runs {running} jobs now");
                break;
        }

        return new Diagnosis(cause, fix, evidence);
    }

    private static void DependencyEvidence(DiagnosisInput input, List<string> evidence, ref string cause, ref string? fix)
    {
        var job = input.Job;
        evidence.Add($"dependency: {job.Dependency ?? "(not shown)"}");
        var ids = DependencyIds().Matches(job.Dependency ?? "").Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        foreach (var id in ids)
        {
            var dep = input.Queue.FirstOrDefault(j => j.JobId == id);
            evidence.Add(dep is null ? $"job {id}: no longer known to slurmctld (finished over MinJobAge ago)"
                : $"job {dep.Id} ({dep.Name}): {dep.State}" + (SlurmText.Exit(dep) is { } e ? $", exit {e}" : ""));
            if (dep is not null && SlurmText.FailedStates.Concat(["CANCELLED"]).Contains(dep.State))
            {
                cause = $"will never start: it depends on job {dep.Id} ({dep.Name}), which ended {dep.State}";
                fix = $"slurm_job_diagnose job_id={dep.Id}; then cancel this job and resubmit both, or drop the dependency (scontrol update jobid={job.JobId} dependency=)";
            }
        }
    }

    private static Diagnosis OutOfMemory(SlurmJob job) => new(
        $"killed for using more memory than it asked for ({SlurmText.Memory(job) ?? "the partition's default"}){After(job)}",
        "resubmit with more memory (memory_mb / --mem), up to what a node has (slurm_node_list), or reduce the program's memory use",
        [.. Timeline(job), $"exit {SlurmText.Exit(job) ?? "-"}; Slurm's cgroup counted an out-of-memory kill"]);

    private static Diagnosis Timeout(SlurmJob job)
    {
        var ran = job.Started is { } s && job.Ended is { } e ? SlurmText.Duration(e - s) : "until its limit";
        return new Diagnosis(
            $"killed at its time limit: ran {ran}, limit {SlurmText.Minutes(job.TimeLimitMinutes)}",
            "resubmit with a longer time limit (time_minutes / --time, within the partition's maximum), or make it checkpoint and resume",
            [.. Timeline(job), $"signal {SlurmText.Exit(job) ?? "-"} at the limit (Slurm sends SIGTERM, then SIGKILL after KillWait)"]);
    }

    private static Diagnosis NodeFail(DiagnosisInput input)
    {
        var job = input.Job;
        return new Diagnosis($"a node it ran on failed{On(job)}; the program itself may be fine",
            "resubmit (submit with --requeue to let Slurm do it); tell an administrator if the node stays down",
            [.. Timeline(job), .. NodeEvidence(input, job.Nodes)]);
    }

    private static Diagnosis Failed(DiagnosisInput input)
    {
        var job = input.Job;
        var evidence = new List<string>(Timeline(job));
        if (SlurmText.StdErr(job) is { } err)
        {
            evidence.Add($"stderr: {err}");
        }

        if (job.Reason is "BadConstraints" or "PartitionConfig" || (job.Started is null && job.Reason is { } r && JobReasons.Lookup(r).Kind == ReasonKind.Never))
        {
            return new Diagnosis($"rejected at scheduling: {JobReasons.Lookup(job.Reason).Meaning}; asks {Asks(job)}",
                "resubmit with a request a node of the partition can hold (slurm_node_list shows CPUs and memory per node)", evidence);
        }

        if (job.Signal is { } sig)
        {
            var mem = SlurmText.Memory(job);
            var cause = sig switch
            {
                9 => $"killed with SIGKILL{After(job)}: without cgroups Slurm's job accounting kills a job over its memory limit this way" +
                     (mem is null ? "" : $" (asked {mem})") + "; an administrator's scancel -s KILL looks the same",
                11 => "crashed with a segmentation fault (SIGSEGV): a bug or a corrupt input in the program",
                6 => "aborted (SIGABRT): an assertion or a fatal runtime error in the program",
                7 => "bus error (SIGBUS): often a file truncated while it was memory-mapped",
                15 => "terminated with SIGTERM (scancel, preemption, or a shutdown)",
                _ => $"killed by signal {sig}" + (SlurmText.SignalName(sig) is { } n ? $" ({n})" : ""),
            };
            var fix = sig == 9 ? "if it used more memory than asked, resubmit with more (memory_mb); check its stderr for 'exceeded memory limit'"
                : "check its stderr and the program";
            evidence.Add($"{SlurmText.Exit(job)}, reason {job.Reason ?? "None"}");
            return new Diagnosis(cause, fix, evidence);
        }

        if (job.ExitCode is { } code and not 0)
        {
            var meaning = code switch
            {
                1 => "a general error reported by the program",
                2 => "a usage error (bad arguments or a shell builtin misused)",
                126 => "a command was found but is not executable (permissions)",
                127 => "a command was not found (PATH or a missing module)",
                137 => "the program was killed by SIGKILL (128+9), usually out of memory",
                139 => "the program crashed with a segmentation fault (128+11)",
                _ when code > 128 => $"the program died of signal {code - 128} (128+{code - 128})",
                _ => "the program's own failure code",
            };
            evidence.Add($"exit code {code}, reason {job.Reason ?? "None"}");
            return new Diagnosis($"its script exited with code {code}{After(job)}: {meaning}",
                "read its stderr for the error; fix and resubmit", evidence);
        }

        var reason = JobReasons.Lookup(job.Reason);
        return new Diagnosis($"FAILED with reason {reason.Code}: {reason.Meaning}", reason.Unblock, evidence);
    }

    private static Diagnosis Running(DiagnosisInput input)
    {
        var job = input.Job;
        var evidence = new List<string>();
        var cause = $"not failed: {job.State} for {SlurmText.RunTime(job, input.Now) ?? "a moment"}";
        if (job.Started is { } s && job.TimeLimitMinutes is { } limit)
        {
            var left = s.AddMinutes(limit) - input.Now;
            evidence.Add($"time limit {SlurmText.Minutes(limit)}; {SlurmText.Duration(left)} left");
            if (left < TimeSpan.FromMinutes(Math.Max(1, limit / 10.0)))
            {
                cause += $"; it ends TIMEOUT in {SlurmText.Duration(left)} unless it finishes first";
            }
        }

        var bad = NodeEvidence(input, job.Nodes);
        evidence.AddRange(bad);
        return new Diagnosis(cause, null, evidence);
    }

    private static IReadOnlyList<string> NodeEvidence(DiagnosisInput input, string? nodeList)
    {
        if (string.IsNullOrWhiteSpace(nodeList))
        {
            return [];
        }

        var names = Hostlist.Expand(nodeList, 256);
        return [.. input.Nodes.Where(n => names.Contains(n.Name)).Take(10)
            .Select(n => $"node {n.Name}: {SlurmText.NodeState(n)}" + (n.Reason is { } r ? $" ({r}" + (n.ReasonSetBy is { } by ? $", set by {by}" : "") + ")" : ""))];
    }

    private static List<SlurmNode> PartitionNodes(DiagnosisInput input) =>
        [.. input.Nodes.Where(n => n.Partitions.Contains(input.Job.Partition))];

    private static string Elsewhere(DiagnosisInput input, SlurmJob job) =>
        input.Partition is null ? "" : $" (or to another partition)";

    private static string? UnavailableNodes(string reason) =>
        reason.Split("UnavailableNodes:", 2) is [_, var nodes] ? nodes.Trim() : null;

    private static string Asks(SlurmJob job) => string.Join(", ", new[]
    {
        job.NodeCount is { } n ? $"{n} node{(n == 1 ? "" : "s")}" : null,
        job.Cpus is { } c ? $"{c} CPUs" : null,
        SlurmText.Memory(job),
        $"time {SlurmText.Minutes(job.TimeLimitMinutes)}",
        job.Partition.Length > 0 ? $"partition {job.Partition}" : null,
        job.RequiredNodes is { } r ? $"nodes {r}" : null,
        job.Features is { } f ? $"features {f}" : null,
    }.Where(s => s is not null));

    private static IReadOnlyList<string> Timeline(SlurmJob job) =>
    [
        string.Join(", ", new[]
        {
            job.Submitted is { } s ? $"submitted {McpCloudTools.Core.Output.Fmt.Time(s)}" : null,
            job.Started is { } st ? $"started {McpCloudTools.Core.Output.Fmt.Time(st)}" : null,
            job.Ended is { } e ? $"ended {McpCloudTools.Core.Output.Fmt.Time(e)}" : null,
            job.Nodes is { } n ? $"on {n}" : null,
        }.Where(x => x is not null)),
    ];

    private static string After(SlurmJob job) => job.Started is { } s && job.Ended is { } e ? $" after {SlurmText.Duration(e - s)}" : "";

    private static string On(SlurmJob job) => job.Nodes is { } n ? $" ({n})" : "";

    [GeneratedRegex(@"(?<=[:+])\d{1,10}")]
    private static partial Regex DependencyIds();
}
