using McpCloudTools.Core;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;
using ModelContextProtocol;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>
/// Follows a job until it ends or the wait times out: polls the job (every second after a change, backing off to
/// ten seconds while nothing moves), reports each state change as an MCP progress notification plus a heartbeat
/// each minute. The returned text is the completion signal: clients may miss the last notification.
/// </summary>
internal sealed class JobWaiter(SlurmTargets targets, TimeProvider time)
{
    public const int DefaultTimeoutSeconds = 600;
    public const int MaxTimeoutSeconds = 3600;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(60);

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
        var reporter = new ProgressReporter(progress, timeout);
        reporter.Report(0, $"{job.Id}: {Describe(job)}");
        var delay = FirstPoll;
        var lastReport = TimeSpan.Zero;
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
                reporter.Report(elapsed.TotalSeconds, $"{Describe(previous)} → {Describe(job)}");
                lastReport = elapsed;
                delay = FirstPoll;
            }
            else
            {
                if (elapsed - lastReport >= Heartbeat)
                {
                    reporter.Report(elapsed.TotalSeconds, $"still {Describe(job)} after {SlurmText.Duration(elapsed)}");
                    lastReport = elapsed;
                }

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

    /// <summary>Progress values must strictly increase; elapsed seconds do, nudged when two reports share a tick.</summary>
    private sealed class ProgressReporter(IProgress<ProgressNotificationValue> progress, TimeSpan timeout)
    {
        private float _last = -1;

        public void Report(double elapsedSeconds, string message)
        {
            var value = Math.Max((float)elapsedSeconds, _last + 0.001f);
            _last = value;
            progress.Report(new ProgressNotificationValue { Progress = value, Total = (float)timeout.TotalSeconds, Message = message });
        }
    }
}
