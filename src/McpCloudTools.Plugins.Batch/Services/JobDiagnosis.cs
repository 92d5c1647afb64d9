using System.Text.RegularExpressions;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>Everything diagnosis looks at, gathered beforehand so the reasoning stays pure and testable.</summary>
/// <param name="Job">The job.</param>
/// <param name="Now">The current time.</param>
/// <param name="Queue">Its queue, when it could be read.</param>
/// <param name="Environments">The queue's compute environments.</param>
/// <param name="Dependencies">The jobs it depends on.</param>
/// <param name="FailedChild">For an array parent with failed children: one failed child.</param>
/// <param name="LogTail">The last log lines of the latest attempt (or of the failed child), as LogTail formats them.</param>
internal sealed record DiagnosisInput(
    JobDetail Job, DateTimeOffset Now, JobQueueDetail? Queue, IReadOnlyList<ComputeEnvironmentDetail> Environments,
    IReadOnlyList<JobDetail> Dependencies, JobDetail? FailedChild = null, string? LogTail = null);

/// <summary>The likely cause in one line, what to do about it, and the facts that support it.</summary>
internal sealed record Diagnosis(string Cause, string? Fix, IReadOnlyList<string> Evidence);

/// <summary>
/// Turns a job's state into a likely cause, by the patterns Batch users meet: out of memory, image pull failures,
/// Spot reclaims, timeouts, failed dependencies, exit codes with a meaning, and for RUNNABLE jobs the queue's
/// capacity (<see cref="CapacityCheck"/>). Pure logic.
/// </summary>
internal static partial class JobDiagnosis
{
    public static Diagnosis Diagnose(DiagnosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = input.Job;
        return job.Status switch
        {
            "FAILED" when JobText.IsArrayParent(job) => FailedArray(input),
            "FAILED" => JobFailures.Failed(input),
            "RUNNABLE" => Runnable(input, job),
            "PENDING" when JobText.IsArrayParent(job) => PendingArray(input),
            "PENDING" => Pending(input),
            "SUBMITTED" => new($"just submitted {Ago(job.CreatedAt, input.Now)}; Batch moves jobs on to PENDING or RUNNABLE within seconds", null, []),
            "STARTING" => new($"placed on an instance; its container has been starting for {Since(job.StartedAt ?? LastAttemptEnd(job) ?? job.CreatedAt, input.Now)} " +
                "(image pull and container start)",
                "usually under a few minutes; much longer suggests a very large image or pull retries (a failed pull ends FAILED with CannotPullContainerError)", []),
            "RUNNING" => Running(input),
            "SUCCEEDED" => Succeeded(job),
            _ => new($"status {job.Status}: nothing known to diagnose", null, []),
        };
    }

    private static Diagnosis Runnable(DiagnosisInput input, JobDetail job)
    {
        var waited = Since(LastAttemptEnd(job) ?? job.CreatedAt, input.Now);
        if (input.Queue is null)
        {
            return new($"RUNNABLE for {waited}; its queue {JobText.Name(job.JobQueue)} could not be read to tell why", "check the queue with batch_job_queue_list", []);
        }

        var verdict = CapacityCheck.Check(input.Queue, input.Environments, JobText.Needs(job.Container));
        var evidence = new List<string> { $"RUNNABLE for {waited}; the job asks for {JobText.Needs(job.Container)}" };
        evidence.AddRange(verdict.Evidence);
        return verdict.State switch
        {
            CapacityState.Ok => new($"RUNNABLE for {waited} although {verdict.Cause}: instances may still be launching (a few minutes is normal)",
                "if it lasts, check the account's EC2 vCPU quota, capacity for these instance types (or Spot) in the subnets' zones, and that instances " +
                "join the ECS cluster (instance role, subnet route to ECS)", evidence),
            _ => new(verdict.Cause, verdict.Fix, evidence),
        };
    }

    private static Diagnosis Pending(DiagnosisInput input)
    {
        var job = input.Job;
        if (job.DependsOn is not { Count: > 0 })
        {
            return new($"PENDING for {Since(job.CreatedAt, input.Now)} without dependencies; Batch normally moves it to RUNNABLE within seconds " +
                "(a fair-share scheduling policy can hold it longer)", null, []);
        }

        var failed = input.Dependencies.FirstOrDefault(d => d.Status == "FAILED");
        var evidence = input.Dependencies.Select(d => $"dependency {d.JobId} ({d.JobName}): {d.Status}").ToList();
        if (failed is not null)
        {
            return new($"will fail: the job it depends on, {failed.JobId} ({failed.JobName}), FAILED",
                $"batch_job_diagnose job_id={failed.JobId}; fix it and resubmit both", evidence);
        }

        var open = input.Dependencies.Where(d => !JobText.IsFinal(d.Status)).ToList();
        var stuck = open.FirstOrDefault(d => d.Status == "RUNNABLE");
        return new($"waiting for {open.Count} of {job.DependsOn.Count} dependencies to finish: " +
                   string.Join(", ", open.Select(d => $"{d.JobId} {d.Status}")),
            stuck is null ? "nothing to do: it becomes RUNNABLE when they succeed" : $"{stuck.JobId} is itself RUNNABLE: batch_job_diagnose job_id={stuck.JobId}",
            evidence);
    }

    private static Diagnosis PendingArray(DiagnosisInput input)
    {
        var job = input.Job;
        var summary = job.ArrayProperties?.StatusSummary ?? [];
        int Count(string s) => summary.TryGetValue(s, out var n) ? n : 0;
        var evidence = new List<string> { $"children: {JobText.Counts(summary)}" };
        if (Count("RUNNABLE") > 0 && Count("STARTING") + Count("RUNNING") == 0 && input.Queue is not null)
        {
            var inner = Runnable(input, job);
            return new($"{Count("RUNNABLE")} children are RUNNABLE and none runs: {inner.Cause}", inner.Fix, [.. evidence, .. inner.Evidence]);
        }

        var failed = Count("FAILED") > 0 && input.FailedChild is { } child ? JobFailures.Failed(input with { Job = child, Queue = input.Queue }) : null;
        return new($"array job in progress ({JobText.Counts(summary)}); the parent stays PENDING until every child has finished" +
                   (failed is null ? "" : $"; child {input.FailedChild!.JobId} failed: {failed.Cause}"),
            failed?.Fix, evidence);
    }

    private static Diagnosis FailedArray(DiagnosisInput input)
    {
        var summary = input.Job.ArrayProperties?.StatusSummary ?? [];
        var size = input.Job.ArrayProperties?.Size ?? 0;
        var failedCount = summary.TryGetValue("FAILED", out var f) ? f : 0;
        var evidence = new List<string> { $"children: {JobText.Counts(summary)}" };
        if (input.FailedChild is not { } child)
        {
            return new($"{failedCount} of {size} children failed", $"batch_job_list array_job_id={input.Job.JobId} status=FAILED, then diagnose a child", evidence);
        }

        var inner = JobFailures.Failed(input with { Job = child });
        evidence.AddRange(inner.Evidence);
        return new($"{failedCount} of {size} children failed; child {child.JobId}: {inner.Cause}", inner.Fix, evidence);
    }

    private static Diagnosis Running(DiagnosisInput input)
    {
        var job = input.Job;
        var evidence = new List<string>();
        var cause = $"not failed: RUNNING for {Since(job.StartedAt, input.Now)}";
        if (job.Timeout?.AttemptDurationSeconds is { } timeout && JobText.Time(job.StartedAt) is { } started)
        {
            var left = started.AddSeconds(timeout) - input.Now;
            evidence.Add($"timeout {timeout}s per attempt; {JobText.Duration(left)} left");
        }

        if ((job.Attempts?.Count ?? 0) > 0)
        {
            evidence.Add($"attempt {job.Attempts!.Count + 1}; earlier: " + string.Join(" | ", job.Attempts.Select(JobDetailText.Attempt)));
        }

        if (input.LogTail is { } tail && JobFailures.ErrorLine(tail) is { } error)
        {
            cause += $"; its log shows errors (latest: {error})";
        }

        return new(cause, null, evidence);
    }

    private static Diagnosis Succeeded(JobDetail job)
    {
        var attempts = job.Attempts ?? [];
        var ran = JobText.Time(job.StartedAt) is { } s && JobText.Time(job.StoppedAt) is { } e ? $" after {JobText.Duration(e - s)}" : "";
        var cause = $"succeeded (exit {job.Container?.ExitCode ?? 0}){ran}" +
                    (attempts.Count > 1 ? $" on attempt {attempts.Count} of {job.RetryStrategy?.Attempts ?? attempts.Count}" : "") + "; nothing to diagnose";
        return attempts.Count > 1
            ? new(cause, null,
                [.. attempts.SkipLast(1).Select((a, i) => $"attempt {i + 1}: {JobDetailText.Attempt(a)}")])
            : new(cause, null, []);
    }

    internal static long? LastAttemptEnd(JobDetail job) => job.Attempts is { Count: > 0 } a ? a[^1].StoppedAt : null;

    internal static string Since(long? epochMs, DateTimeOffset now) => JobText.Time(epochMs) is { } t ? JobText.Duration(now - t) : "an unknown time";

    private static string Ago(long? epochMs, DateTimeOffset now) => JobText.Time(epochMs) is { } t ? JobText.Duration(now - t) + " ago" : "";

    [GeneratedRegex(@"Host EC2 \(instance (?<id>i-[0-9a-f]+)\) terminated", RegexOptions.IgnoreCase)]
    internal static partial Regex HostTerminated();
}
