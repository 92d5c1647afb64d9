using McpCloudTools.Core;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;
using ModelContextProtocol;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>
/// Follows a job until it ends or the wait times out: polls the job (every second after a change, backing off to
/// ten seconds while nothing moves) and reports each state change, and a heartbeat while nothing moves, through
/// <see cref="WaitProgress"/>. The returned text is the completion signal: clients may miss the last notification.
/// </summary>
internal sealed class JobWaiter(SlurmTargets targets, TimeProvider time)
{
    public const int DefaultTimeoutSeconds = 600;
    public const int MaxTimeoutSeconds = 3600;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);

    public async Task<string> WaitAsync(string jobId, string? clusterId, int timeoutSeconds, IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken)
    {
        if (timeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            throw new ToolException($"timeout_seconds must be between 1 and {MaxTimeoutSeconds} (got {timeoutSeconds}); omit it for {DefaultTimeoutSeconds}. " +
                                    "Call slurm_job_wait again to keep waiting.");
        }

        var id = SlurmJobId.Parse(jobId);
        var target = await targets.ClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        var (_, job) = await JobService.FindAsync(target, id, cancellationToken).ConfigureAwait(false);
        var path = new List<string> { Describe(job) };
        var reporter = new WaitProgress(progress, timeout);
        reporter.Changed(TimeSpan.Zero, $"{job.Id}: {Describe(job)}");
        var delay = FirstPoll;
        while (!SlurmText.IsFinal(job))
        {
            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                return $"job {job.Id} ({job.Name}) is still {Describe(job)} after waiting {SlurmText.Duration(elapsed)}" +
                       (path.Count > 1 ? $" ({string.Join(" → ", path)})" : "") +
                       $". Call slurm_job_wait again to keep waiting, or slurm_job_diagnose job_id={job.Id} if it looks stuck.";
            }

            var remaining = timeout - elapsed;
            await Task.Delay(delay < remaining ? delay : remaining, time, cancellationToken).ConfigureAwait(false);
            var previous = job;
            var records = await target.Client.JobAsync(id, cancellationToken).ConfigureAwait(false);
            job = JobListService.Pick(records, id) ?? throw new ToolException(
                $"Job {id} disappeared while waiting (last seen {Describe(previous)}); slurmctld forgets jobs MinJobAge after they end.");
            elapsed = time.GetElapsedTime(started);
            if (Describe(job) != Describe(previous))
            {
                path.Add(Describe(job));
                reporter.Changed(elapsed, $"{Describe(previous)} → {Describe(job)}");
                delay = FirstPoll;
            }
            else
            {
                var current = job;
                reporter.Unchanged(elapsed, () => $"still {Describe(current)} after {SlurmText.Duration(elapsed)}");
                delay = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, (long)(delay.Ticks * 1.5)));
            }
        }

        var waited = SlurmText.Duration(time.GetElapsedTime(started));
        var head = $"job {job.Id} ({job.Name}) ended {job.State}" + (SlurmText.RunTime(job, time.GetUtcNow()) is { } ran ? $", ran {ran}" : "") +
                   (SlurmText.Exit(job) is { } exit ? $"; exit {exit}" : "") + (job.Reason is { } r ? $"; reason {r}" : "") +
                   $"; waited {waited}" + (path.Count > 1 ? $" ({string.Join(" → ", path)})" : "");
        return job.State == "COMPLETED"
            ? head + $". Its output: {SlurmText.StdOut(job) ?? "in its work dir"}."
            : head + $". slurm_job_diagnose job_id={job.Id} gives the likely cause.";
    }

    private static string Describe(SlurmJob job) => job.State + (job.State == "PENDING" && job.Reason is { } r ? $" ({r})" : "");
}
