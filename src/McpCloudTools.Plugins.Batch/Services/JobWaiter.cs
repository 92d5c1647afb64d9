using McpCloudTools.Core;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Plugins.Batch.Client;
using ModelContextProtocol;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// Follows a job until it ends or the wait times out: polls DescribeJobs (every second after a change, backing off to
/// fifteen seconds while nothing moves, which keeps a long wait well under DescribeJobs' rate limit) and reports each
/// status change, and a heartbeat while nothing moves, through <see cref="WaitProgress"/>. The returned text is the
/// completion signal: clients may miss the last notification.
/// </summary>
internal sealed class JobWaiter(BatchTargets targets, TimeProvider time)
{
    public const int DefaultTimeoutSeconds = 600;
    public const int MaxTimeoutSeconds = 3600;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(15);

    public async Task<string> WaitAsync(string job_id, int timeoutSeconds, IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken)
    {
        if (timeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            throw new ToolException($"timeout_seconds must be between 1 and {MaxTimeoutSeconds} (got {timeoutSeconds}); omit it for {DefaultTimeoutSeconds}. " +
                "Call batch_job_wait again to keep waiting.");
        }

        var started = time.GetTimestamp();
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        var first = job.Status;
        var changes = new List<string>();
        var reporter = new WaitProgress(progress, timeout);
        reporter.Changed(TimeSpan.Zero, $"{job.JobId}: {Describe(job)}");
        var delay = FirstPoll;
        while (!JobText.IsFinal(job.Status))
        {
            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                return $"job {job.JobId} ({job.JobName}) is still {Describe(job)} after waiting {JobText.Duration(elapsed)}" +
                       (changes.Count > 0 ? $" ({first} → {string.Join(" → ", changes)})" : "") +
                       $". Call batch_job_wait again to keep waiting, or batch_job_diagnose job_id={job.JobId} if it looks stuck.";
            }

            var remaining = timeout - elapsed;
            await Task.Delay(delay < remaining ? delay : remaining, time, cancellationToken).ConfigureAwait(false);
            var previous = job;
            job = await connection.Batch.JobAsync(job.JobId, cancellationToken).ConfigureAwait(false)
                  ?? throw new ToolException($"Job {previous.JobId} disappeared while waiting (Batch keeps jobs about 7 days).");
            elapsed = time.GetElapsedTime(started);
            if (Describe(job) != Describe(previous))
            {
                changes.Add(job.Status ?? "?");
                reporter.Changed(elapsed, $"{Describe(previous)} → {Describe(job)}");
                delay = FirstPoll;
            }
            else
            {
                var current = job;
                reporter.Unchanged(elapsed, () => $"still {Describe(current)} after {JobText.Duration(elapsed)}");
                delay = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, (long)(delay.Ticks * 1.5)));
            }
        }

        return Final(job, first, changes, time.GetElapsedTime(started), time.GetUtcNow());
    }

    /// <summary>Status with what moves inside it: the counts of an array job's children.</summary>
    private static string Describe(JobDetail job) => JobText.IsArrayParent(job) && job.ArrayProperties?.StatusSummary is { } s
        ? $"{job.Status} ({JobText.Counts(s)})"
        : job.Status ?? "?";

    private static string Final(JobDetail job, string? first, List<string> changes, TimeSpan waited, DateTimeOffset now)
    {
        var path = changes.Count > 0 ? $" ({first} → {string.Join(" → ", changes)})" : "";
        var ran = JobText.RunTime(job.StartedAt, job.StoppedAt, now) is { Length: > 0 } r ? $", ran {r}" : "";
        var head = $"job {job.JobId} ({job.JobName}) ended {job.Status}{ran}; waited {JobText.Duration(waited)}{path}";
        if (job.Status == "SUCCEEDED")
        {
            return head + (JobText.IsArrayParent(job) ? "" : $"; exit {job.Container?.ExitCode ?? 0}") + $". batch_job_logs job_id={job.JobId} shows its output.";
        }

        var reason = JobText.Reason(job.Status, job.StatusReason, job.Container?.Reason ?? job.Attempts?.LastOrDefault()?.Container?.Reason);
        var exit = job.Container?.ExitCode ?? job.Attempts?.LastOrDefault()?.Container?.ExitCode;
        return head + (exit is { } e ? $"; exit {e}" : "") + (reason is null ? "" : $"; {reason}") +
               $". batch_job_diagnose job_id={job.JobId} gives the likely cause.";
    }
}
