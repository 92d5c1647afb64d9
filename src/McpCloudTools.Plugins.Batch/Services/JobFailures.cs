using System.Globalization;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// The causes of a FAILED job, most specific first: stopped by a user, a failed dependency, the image, the container
/// failing to start, out of memory (container or JVM heap), a reclaimed Spot instance, a timeout, then exit codes
/// that mean something (127 command not found, 139 segfault…), then the application's own error from its log.
/// </summary>
internal static class JobFailures
{
    private static readonly string[] StartErrors =
        ["CannotStartContainerError", "CannotCreateContainerError", "CannotInspectContainerError", "ResourceInitializationError", "DockerTimeoutError"];

    private static readonly string[] ErrorMarkers =
        ["Error", "ERROR", "Exception", "Traceback", "FATAL", "fatal:", "panic:", "Killed", "No such file", "not found", "denied"];

    public static Diagnosis Failed(DiagnosisInput input)
    {
        var job = input.Job;
        var attempts = job.Attempts ?? [];
        var last = attempts.LastOrDefault();
        var exit = job.Container?.ExitCode ?? last?.Container?.ExitCode;
        string[] reasons = [.. new[] { job.StatusReason, job.Container?.Reason }
            .Concat(attempts.SelectMany(a => new[] { a.StatusReason, a.Container?.Reason })).OfType<string>().Where(r => r.Length > 0).Distinct()];
        string? Find(string marker) => reasons.FirstOrDefault(r => r.Contains(marker, StringComparison.OrdinalIgnoreCase));
        var log = input.LogTail ?? "";
        var memory = JobText.Needs(job.Container).MemoryMiB;
        var allowed = job.RetryStrategy?.Attempts ?? 1;

        var evidence = new List<string>();
        if (job.StatusReason is { Length: > 0 } sr)
        {
            evidence.Add("status reason: " + sr);
        }

        for (var i = 0; i < attempts.Count; i++)
        {
            evidence.Add($"attempt {i + 1}: {JobDetailText.Attempt(attempts[i])}");
        }

        if (attempts.Count == 0 && (exit is not null || job.Container?.Reason is not null))
        {
            evidence.Add($"container: exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "-"} {job.Container?.Reason}".TrimEnd());
        }

        Diagnosis Result(string cause, string? fix) => new(cause, fix, evidence);

        if (job.IsCancelled == true)
        {
            return Result($"cancelled before it started (CancelJob): {job.StatusReason}", "resubmit it if that was not intended");
        }

        if (job.IsTerminated == true)
        {
            return Result($"terminated by a TerminateJob call: {job.StatusReason}", "resubmit it if that was not intended");
        }

        if (Find("Dependent Job failed") is not null)
        {
            var dep = input.Dependencies.FirstOrDefault(d => d.Status == "FAILED");
            var depCause = dep is null ? null : Failed(input with { Job = dep, Dependencies = [], LogTail = null }).Cause;
            return Result(dep is null
                    ? "a job it depends on failed, so this one never ran"
                    : $"a job it depends on failed, so this one never ran: {dep.JobId} ({dep.JobName}): {depCause}",
                (dep is null ? "find the failed dependency (batch_job_describe shows depends on)" : $"batch_job_diagnose job_id={dep.JobId}") +
                "; fix it, then resubmit both (a failed dependency is never retried)");
        }

        if (Find("CannotPullContainerError") is { } pull)
        {
            return Result($"the image could not be pulled, so the container never started: {pull}", PullFix(pull, job.Container?.Image));
        }

        if (StartErrors.Select(Find).FirstOrDefault(r => r is not null) is { } start)
        {
            return Result($"the container could not start: {start}", start.Contains("ResourceInitializationError", StringComparison.Ordinal)
                ? "check the execution role (secrets, registry credentials) and that the subnets reach Secrets Manager / SSM / ECR"
                : "check the job definition (mounts, devices, user, command) against the image");
        }

        if (Find("OutOfMemoryError") is { } oom && (exit is null or 137 || oom.Contains("Container killed", StringComparison.OrdinalIgnoreCase)))
        {
            return Result($"out of memory: the container exceeded its {Mib(memory)} limit and was killed (exit {exit ?? 137}, {oom})", MemoryFix(input, memory));
        }

        if (exit == 137 && (log.Contains("OutOfMemory", StringComparison.Ordinal) || log.Contains("MemoryError", StringComparison.Ordinal)
                            || log.Contains("Killed", StringComparison.Ordinal)))
        {
            return Result($"out of memory: killed with SIGKILL (exit 137) and its log mentions memory exhaustion; limit {Mib(memory)}", MemoryFix(input, memory));
        }

        if (exit is not 137 && log.Contains("java.lang.OutOfMemoryError", StringComparison.Ordinal))
        {
            return Result($"the JVM ran out of heap (java.lang.OutOfMemoryError in the log, exit {exit}), not the container: the heap limit (-Xmx) is too small",
                $"raise -Xmx (for example -XX:MaxRAMPercentage=75 to follow the container's {Mib(memory)}), or give the job more memory");
        }

        if (reasons.Select(r => JobDiagnosis.HostTerminated().Match(r)).FirstOrDefault(m => m.Success) is { } host)
        {
            var spot = input.Environments.Any(ce => ce.ComputeResources?.Type is "SPOT" or "FARGATE_SPOT");
            var cause = spot
                ? $"its Spot instance {host.Groups["id"].Value} was reclaimed by EC2 (the queue runs on Spot); the job itself did nothing wrong"
                : $"the instance {host.Groups["id"].Value} running it was terminated (scale-in, Spot reclaim or a manual stop); the job itself did nothing wrong";
            var retries = allowed <= 1 ? "no retries were allowed" : $"{attempts.Count} of {allowed} attempts used";
            return Result($"{cause}; {retries}",
                "resubmit with retries (retry_attempts=3; in the job definition an evaluateOnExit rule onStatusReason 'Host EC2*' → RETRY), " +
                "checkpoint long jobs, or use an on-demand compute environment for jobs that cannot be interrupted");
        }

        if (Find("Job attempt duration exceeded timeout") is not null)
        {
            var timeout = job.Timeout?.AttemptDurationSeconds;
            return Result($"timed out: an attempt ran past its timeout{(timeout is { } t ? $" of {t}s" : "")} and was stopped",
                "raise timeout_seconds (batch_job_submit) if the work is just slow; the log tail shows how far it got");
        }

        if (exit is { } code && code != 0)
        {
            var error = ErrorLine(log);
            var (meaning, fix) = ExitMeaning(code, job);
            return Result($"{meaning}{(error is null ? "" : $"; the log's last error: {error}")}", fix);
        }

        return Result($"failed: {job.StatusReason ?? "no reason given"}", "the log tail and attempts above are all the evidence AWS keeps");
    }

    /// <summary>The latest line of a log tail that looks like an error, without its time prefix.</summary>
    public static string? ErrorLine(string tail) => tail.Split('\n').Skip(1).Reverse()
        .Select(l => l.Length > 9 && l[2] == ':' && l[5] == ':' ? l[9..] : l)
        .FirstOrDefault(l => ErrorMarkers.Any(m => l.Contains(m, StringComparison.Ordinal)))?.Trim() is { } line
        ? Core.Output.Fmt.Truncate(line, 160)
        : null;

    private static (string Meaning, string Fix) ExitMeaning(int code, JobDetail job) => code switch
    {
        127 => ("the command was not found in the image (exit 127)",
            $"check the command ({Command(job)}) and the image's PATH/entrypoint"),
        126 => ("the command exists but is not executable (exit 126)", "check the file's permissions (chmod +x) or the interpreter line"),
        139 => ("the program crashed with a segmentation fault (exit 139, SIGSEGV)", "a native crash: check native libraries, the architecture of the image, and stack/memory limits"),
        137 => ("killed with SIGKILL (exit 137) without an out-of-memory reason: a forced stop or memory pressure", "check the log tail; raise memory if it was growing"),
        143 => ("stopped with SIGTERM (exit 143): terminated, or the instance was shutting down", "if nobody stopped it, add retries for interrupted attempts"),
        _ => ($"the application exited with code {code}", "the log tail shows the application's error; fix it, then resubmit"),
    };

    private static string PullFix(string reason, string? image)
    {
        var which = image is null ? "the image" : $"image {image}";
        if (Contains(reason, "not found", "does not exist", "manifest unknown", "repository does not exist"))
        {
            return $"{which} or its tag does not exist: push it, or fix the image in the job definition";
        }

        if (Contains(reason, "denied", "not authorized", "403", "no basic auth", "AccessDenied"))
        {
            return $"no permission to pull {which}: give the job's execution role ecr:GetAuthorizationToken and ecr:BatchGetImage (or registry credentials)";
        }

        return Contains(reason, "timeout", "i/o timeout", "deadline exceeded", "connection")
            ? "the instance could not reach the registry: give the subnets a NAT gateway, public IPs, or ECR VPC endpoints"
            : $"check that {which} exists and that the execution role and network allow pulling it";
    }

    private static string MemoryFix(DiagnosisInput input, int? memory)
    {
        var suggest = memory is { } m ? $"memory={m * 2}" : "more memory";
        var (largest, _) = InstanceTypes.LargestOf(input.Environments.SelectMany(ce => ce.ComputeResources?.InstanceTypes ?? []));
        var room = largest is { } l ? $"; the queue's largest instance type ({l.Name}) leaves about {InstanceTypes.Gib(l.UsableMemoryMiB)} for a job" : "";
        return $"resubmit with more memory (batch_job_submit {suggest}){room}, or reduce the job's memory use (smaller chunks, streaming)";
    }

    private static string Mib(int? memory) => memory is { } m ? $"{m} MiB" : "memory";

    private static string Command(JobDetail job) => job.Container?.Command is { Count: > 0 } c ? string.Join(' ', c) : "the definition's command";

    private static bool Contains(string text, params string[] markers) => markers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));
}
