using System.Globalization;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>
/// A job's CloudWatch Logs stream through the shared <see cref="LogTail"/>. The read window ends when the job
/// stopped (a minute later, for late events), or for a job still running at now plus the 15 minutes SigV4 allows
/// between our clock and AWS's: the job's times come from AWS's clock, and a window ending at our "now" would drop
/// the lines of a job that just finished on a server whose clock runs ahead.
/// </summary>
internal sealed class JobLogService(BatchTargets targets, TimeProvider time)
{
    private static readonly TimeSpan AfterStop = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(15);

    public async Task<string> LogsAsync(string job_id, int tail, string? since, CancellationToken cancellationToken)
    {
        if (tail is < 1 or > 1000)
        {
            throw new ToolException($"tail must be between 1 and 1000 lines (got {tail}); omit it for 50.");
        }

        var (connection, job) = await targets.JobAsync(job_id, cancellationToken).ConfigureAwait(false);
        if (JobText.IsArrayParent(job))
        {
            throw new ToolException($"Job {job.JobId} is an array job's parent, which has no log stream of its own. Read a child: job_id={job.JobId}:<index> " +
                $"(batch_job_list array_job_id={job.JobId} lists them, failed first).");
        }

        var attempts = job.Attempts?.Count ?? 0;
        var stream = JobText.LogStream(job);
        var which = attempts > 1 ? $", latest of {attempts} attempts" : "";
        var head = $"job {job.JobId} ({job.JobName}) {job.Status}{which}";
        if (stream is null)
        {
            return $"{head}: no log stream yet; a stream exists once an attempt reaches RUNNING." +
                   (job.Status is "RUNNABLE" or "PENDING" or "FAILED" ? $" batch_job_diagnose job_id={job.JobId} explains why it did not run." : "");
        }

        var now = time.GetUtcNow();
        var window = WindowEnd(job, now);
        var reference = JobText.IsFinal(job.Status) && JobText.Time(job.StoppedAt) is { } stoppedAt ? stoppedAt : now;
        var request = new LogTailRequest(JobText.LogGroup(job), stream, Since(since, reference), MaxLines: tail);
        var text = await LogTail.ReadAsync(connection.Logs, request, new FixedClock(window), cancellationToken).ConfigureAwait(false);
        return head + "\n" + text;
    }

    /// <summary>The last lines of the job's latest stream, for diagnosis; null when it has none or they cannot be read.</summary>
    public static async Task<string?> TailAsync(BatchConnection connection, JobDetail job, int lines, TimeProvider time, CancellationToken cancellationToken)
    {
        if (JobText.LogStream(job) is not { } stream)
        {
            return null;
        }

        try
        {
            var end = WindowEnd(job, time.GetUtcNow());
            return await LogTail.ReadAsync(connection.Logs, new LogTailRequest(JobText.LogGroup(job), stream, MaxLines: lines, MaxBytes: 3000),
                new FixedClock(end), cancellationToken).ConfigureAwait(false);
        }
        catch (Aws.AwsServiceException e)
        {
            // Diagnosis still stands on the job's own facts; say why the log is missing instead of failing.
            return $"(log stream {stream} could not be read: {e.Message})";
        }
    }

    private static DateTimeOffset WindowEnd(JobDetail job, DateTimeOffset now)
    {
        var stopped = JobText.Time(job.StoppedAt) ?? JobText.Time(JobDiagnosis.LastAttemptEnd(job));
        return JobText.IsFinal(job.Status) && stopped is { } s ? s + AfterStop : now + ClockSkew;
    }

    /// <summary>
    /// <c>since</c>: a duration back from <paramref name="reference"/> (when the job stopped, else now: <c>10m</c>, <c>2h</c>,
    /// <c>90s</c>, <c>1d</c>), or an ISO time.
    /// </summary>
    internal static DateTimeOffset? Since(string? since, DateTimeOffset reference)
    {
        if (string.IsNullOrWhiteSpace(since))
        {
            return null;
        }

        var s = since.Trim();
        if (s.Length > 1 && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? span = char.ToLowerInvariant(s[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } d)
            {
                return reference - d;
            }
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        throw new ToolException($"since '{since}' is neither a duration (30s, 10m, 2h, 1d) nor a time (2026-05-01T12:00:00Z).");
    }

    /// <summary>A clock stopped at the end of the read window (LogTail reads up to "now").</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
