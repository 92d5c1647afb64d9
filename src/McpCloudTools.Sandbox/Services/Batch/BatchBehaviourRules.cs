using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>How one attempt ends: after how long, with which exit code and reasons.</summary>
internal sealed record AttemptOutcome(double RunSeconds, bool Succeeded, int? ExitCode, string? Reason, string StatusReason);

/// <summary>
/// What a job of each behaviour does in an attempt, and what it writes to its log, with the exact reasons AWS Batch
/// reports (<c>Essential container in task exited</c>, <c>OutOfMemoryError: Container killed due to memory usage</c>,
/// <c>Host EC2 (instance i-…) terminated.</c>, <c>Job attempt duration exceeded timeout</c>, <c>CannotPullContainerError: …</c>).
/// Deterministic, so the simulation and the seeded history tell the same story.
/// </summary>
internal static class BatchBehaviourRules
{
    public const string Exited = "Essential container in task exited";
    public const string TimedOut = "Job attempt duration exceeded timeout";
    public const string TaskFailedToStart = "Task failed to start";
    public const string DependencyFailed = "Dependent Job failed";
    public const string OomReason = "OutOfMemoryError: Container killed due to memory usage";

    public static string PullError(string image) =>
        $"CannotPullContainerError: Error response from daemon: manifest for {image} not found: manifest unknown: Requested image not found";

    public static string HostTerminated(string instanceId) => $"Host EC2 (instance {instanceId}) terminated.";

    /// <summary>The outcome of attempt <paramref name="attempt"/> (1-based) of a job that reached RUNNING.</summary>
    public static AttemptOutcome Outcome(SandboxJob job, int attempt, string instanceId)
    {
        var d = job.Definition;
        var runtime = (double)d.RuntimeSeconds;
        var behaviour = d.OnlyIndex is { } only && job.ArrayIndex != only ? JobBehaviour.Succeed : d.Behaviour;
        var outcome = behaviour switch
        {
            JobBehaviour.ExitNonZero => new AttemptOutcome(runtime * 0.5, false, d.ExitCode, null, Exited),
            JobBehaviour.OutOfMemory => new AttemptOutcome(runtime * 0.6, false, 137, OomReason, Exited),
            JobBehaviour.SpotReclaim when attempt == 1 => new AttemptOutcome(runtime * 0.5, false, null, null, HostTerminated(instanceId)),
            _ => new AttemptOutcome(runtime, true, 0, null, Exited),
        };
        return job.TimeoutSeconds is { } timeout && outcome.RunSeconds > timeout
            ? new AttemptOutcome(timeout, false, null, null, TimedOut)
            : outcome;
    }

    /// <summary>The attempt's log lines as (seconds after start, message), all before it ends.</summary>
    public static IReadOnlyList<(double At, string Message)> LogLines(SandboxJob job, int attempt, AttemptOutcome outcome)
    {
        // What the command itself prints comes first, then what the job's behaviour writes.
        var lines = new List<string>(BatchCommandOutput.Lines(job, attempt)) { $"INFO starting {job.Name} (attempt {attempt})" };
        if (job.ArrayIndex is { } index)
        {
            lines.Add($"INFO AWS_BATCH_JOB_ARRAY_INDEX={index.ToString(CultureInfo.InvariantCulture)}");
        }

        var d = job.Definition;
        switch (d.OnlyIndex is { } only && job.ArrayIndex != only ? JobBehaviour.Succeed : d.Behaviour)
        {
            case JobBehaviour.ExitNonZero:
                lines.AddRange([
                    "INFO reading s3://example-data/orders/2026-05-01.parquet", "INFO 120000 rows loaded", "INFO transforming",
                    "Traceback (most recent call last):", "  File \"/app/etl.py\", line 88, in transform", "    key = row[\"customer_id\"]",
                    "KeyError: 'customer_id'",
                ]);
                break;
            case JobBehaviour.OutOfMemory:
                lines.Add("INFO loading reference index (3.1 GiB)");
                // Memory climbs toward the container's limit, where the kernel kills it.
                lines.AddRange(Enumerable.Range(1, 6).Select(i => string.Create(CultureInfo.InvariantCulture,
                    $"INFO aligning shard {i * 3}/40, resident memory {job.MemoryMiB / 1024.0 * (0.4 + i * 0.1):0.0} GiB")));
                break;
            case JobBehaviour.SpotReclaim:
                lines.Add("INFO simulating 1e9 paths");
                lines.AddRange(Enumerable.Range(1, outcome.Succeeded ? 10 : 4).Select(i => $"INFO checkpoint {i}/10 written"));
                break;
            default:
                var steps = Math.Clamp(d.RuntimeSeconds / 60, 3, 12);
                lines.AddRange(Enumerable.Range(1, steps).Select(i => $"INFO processing batch {i}/{steps}"));
                break;
        }

        if (outcome.Succeeded)
        {
            lines.Add("INFO done");
        }
        else if (outcome.StatusReason == TimedOut)
        {
            lines.Add("WARN still working when the time limit was reached");
        }

        // Spread over the attempt, the first lines within its first seconds, every line before the end.
        var span = Math.Max(1, outcome.RunSeconds * 0.95);
        return [.. lines.Select((m, i) => (i < 2 ? i * 0.5 : 2 + (span - 2) * (i - 1) / Math.Max(1, lines.Count - 1), m))];
    }
}
