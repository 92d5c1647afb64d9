namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>
/// The life of Batch jobs on the sandbox clock, as a discrete-event simulation run up to "now" on every request:
/// SUBMITTED → PENDING (until dependencies succeed; a failed one fails the job) → RUNNABLE (until a usable compute
/// environment of the queue has room and an instance type that fits) → STARTING (instance launched, image pulled) →
/// RUNNING → SUCCEEDED or FAILED, retried while attempts remain. Array parents follow their children. Capacity is
/// counted in vCPUs per compute environment. Not thread-safe: the service calls it under its lock.
/// </summary>
internal sealed class BatchSimulation(SandboxContext context, Func<string> newHex)
{
    public const string LogGroup = "/aws/batch/job";
    private const long SubmitDelay = 1_000;
    private const long PendingDelay = 1_000;
    private const long LaunchDelay = 15_000;
    private const long PullDelay = 10_000;

    private readonly PriorityQueue<(SandboxJob Job, long Version), (long At, long Seq)> _due = new();
    private readonly HashSet<SandboxJob> _waiting = [];
    private long _seq;

    /// <summary>Every job, children included, in creation order.</summary>
    public List<SandboxJob> Jobs { get; } = [];

    public Dictionary<string, SandboxJob> ById { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a job submitted at <paramref name="now"/> (children of an array are added with it).</summary>
    public void Submit(SandboxJob job, long now)
    {
        Add(job);
        Schedule(job, now + SubmitDelay);
        foreach (var child in job.Children)
        {
            Add(child);
            Schedule(child, now + SubmitDelay);
        }
    }

    /// <summary>Runs every step due up to <paramref name="now"/>, in time order.</summary>
    public void Advance(long now)
    {
        while (_due.TryPeek(out var entry, out var key) && key.At <= now)
        {
            _due.Dequeue();
            var job = entry.Job;
            if (entry.Version != job.ScheduleVersion || job.NextAt != key.At)
            {
                continue;
            }

            job.NextAt = null;
            Step(job, key.At);
        }
    }

    /// <summary>CancelJob: jobs that have not started fail; a PENDING one once its dependencies have finished; others are untouched.</summary>
    public void Cancel(SandboxJob job, string reason, long now)
    {
        if (job.IsArrayParent)
        {
            job.IsCancelled = true;
        }

        foreach (var target in job.IsArrayParent ? job.Children : [job])
        {
            switch (target.Status)
            {
                case "SUBMITTED" or "RUNNABLE":
                    Stop(target, now, reason, cancelled: true);
                    break;
                case "PENDING" when Dependencies(target) == DependencyState.Waiting:
                    target.CancelRequested = reason;
                    break;
                case "PENDING":
                    Stop(target, now, reason, cancelled: true);
                    break;
            }
        }

        Reconsider(now);
    }

    /// <summary>TerminateJob: STARTING and RUNNING jobs are stopped and fail without retry; earlier ones are cancelled.</summary>
    public void Terminate(SandboxJob job, string reason, long now)
    {
        if (job.IsArrayParent)
        {
            job.IsTerminated = true;
        }

        foreach (var target in job.IsArrayParent ? job.Children : [job])
        {
            if (target.IsFinal)
            {
                continue;
            }

            target.IsTerminated = true;
            if (target.Status is "STARTING" or "RUNNING" && target.CurrentAttempt is { } attempt)
            {
                var ran = target.Status == "RUNNING";
                EndAttempt(target, attempt, now, new AttemptOutcome(0, false, ran ? 143 : null, null, reason), retry: false, ran: ran);
            }
            else
            {
                Stop(target, now, reason, cancelled: false);
            }
        }

        Reconsider(now);
    }

    private void Step(SandboxJob job, long t)
    {
        switch (job.Status)
        {
            case "SUBMITTED":
                job.Status = "PENDING";
                if (!job.IsArrayParent)
                {
                    EvaluatePending(job, t);
                }

                break;
            case "PENDING":
                if (job.CancelRequested is { } reason)
                {
                    Stop(job, t, reason, cancelled: true);
                    Reconsider(t);
                    return;
                }

                job.Status = "RUNNABLE";
                TryPlace(job, t);
                break;
            case "RUNNABLE":
                job.Status = "STARTING";
                job.TaskId = newHex()[..32];
                var cluster = $"{job.Placement!.Name}_Batch_{job.Placement.Uuid[..8]}";
                job.Attempts.Add(new SandboxAttempt
                {
                    TaskArn = $"arn:aws:ecs:{context.Region}:{context.AccountId}:task/{cluster}/{job.TaskId}",
                    ContainerInstanceArn = $"arn:aws:ecs:{context.Region}:{context.AccountId}:container-instance/{cluster}/{newHex()[..32]}",
                });
                Schedule(job, t + PullDelay);
                break;
            case "STARTING":
                var attempt = job.CurrentAttempt!;
                if (job.Definition.Behaviour == JobBehaviour.ImagePull)
                {
                    EndAttempt(job, attempt, t, new AttemptOutcome(0, false, null, BatchBehaviourRules.PullError(job.Definition.Image),
                        BatchBehaviourRules.TaskFailedToStart), retry: true, ran: false);
                    return;
                }

                job.Status = "RUNNING";
                job.StartedAt = t;
                attempt.StartedAt = t;
                attempt.LogStream = $"{job.Definition.Name}/default/{job.TaskId}";
                var outcome = BatchBehaviourRules.Outcome(job, job.Attempts.Count, job.InstanceId!);
                WriteLog(job, attempt, outcome, fromSecond: 0, toSecond: 3);
                Schedule(job, t + (long)(outcome.RunSeconds * 1000));
                break;
            case "RUNNING":
                var current = job.CurrentAttempt!;
                EndAttempt(job, current, t, BatchBehaviourRules.Outcome(job, job.Attempts.Count, job.InstanceId!), retry: true, ran: true);
                break;
        }
    }

    private void EvaluatePending(SandboxJob job, long t)
    {
        switch (Dependencies(job))
        {
            case DependencyState.Satisfied:
                _waiting.Remove(job);
                Schedule(job, t + PendingDelay);
                break;
            case DependencyState.Failed:
                Stop(job, t, job.CancelRequested ?? BatchBehaviourRules.DependencyFailed, cancelled: job.CancelRequested is not null);
                break;
            default:
                _waiting.Add(job);
                break;
        }
    }

    private void TryPlace(SandboxJob job, long t)
    {
        var ce = job.Queue.State != "ENABLED" ? null : job.Queue.Environments.FirstOrDefault(e => e.Usable && Fits(e, job) && e.UsedVcpus + job.Vcpus <= e.MaxvCpus);
        if (ce is null)
        {
            _waiting.Add(job);
            return;
        }

        _waiting.Remove(job);
        ce.UsedVcpus += job.Vcpus;
        job.Placement = ce;
        job.InstanceId = "i-0" + newHex()[..16];
        Schedule(job, t + LaunchDelay);
    }

    /// <summary>Whether the job can ever run in <paramref name="ce"/>: within max vCPUs and the largest instance type.</summary>
    public static bool Fits(SandboxComputeEnvironment ce, SandboxJob job) =>
        job.Vcpus <= ce.MaxvCpus && job.Vcpus <= ce.InstanceVcpus && job.MemoryMiB <= ce.UsableMemoryMiB;

    private void EndAttempt(SandboxJob job, SandboxAttempt attempt, long t, AttemptOutcome outcome, bool retry, bool ran)
    {
        attempt.StoppedAt = t;
        attempt.ExitCode = outcome.ExitCode;
        attempt.Reason = outcome.Reason;
        attempt.StatusReason = outcome.StatusReason;
        if (ran && attempt.StartedAt is { } started)
        {
            WriteLog(job, attempt, BatchBehaviourRules.Outcome(job, job.Attempts.Count, job.InstanceId!), fromSecond: 3, toSecond: (t - started) / 1000.0);
        }

        Release(job);
        Unschedule(job);
        if (outcome.Succeeded)
        {
            Finish(job, t, "SUCCEEDED", BatchBehaviourRules.Exited);
        }
        else if (retry && job.Attempts.Count < job.RetryAttempts)
        {
            job.Status = "RUNNABLE";
            TryPlace(job, t);
        }
        else
        {
            Finish(job, t, "FAILED", outcome.StatusReason);
        }

        Reconsider(t);
    }

    /// <summary>Fails a job that has not run (cancelled, terminated before starting, or a failed dependency).</summary>
    private void Stop(SandboxJob job, long t, string reason, bool cancelled)
    {
        if (cancelled)
        {
            job.IsCancelled = true;
        }

        if (job.CurrentAttempt is { } attempt)
        {
            attempt.StoppedAt = t;
            attempt.StatusReason = reason;
        }

        Release(job);
        Unschedule(job);
        Finish(job, t, "FAILED", reason);
    }

    private void Finish(SandboxJob job, long t, string status, string? reason)
    {
        job.Status = status;
        job.StatusReason = reason;
        job.StoppedAt = t;
        _waiting.Remove(job);
        if (job.Parent is { } parent)
        {
            UpdateParent(parent, t);
        }
    }

    private void UpdateParent(SandboxJob parent, long t)
    {
        if (parent.IsFinal || parent.Children.Any(c => !c.IsFinal))
        {
            return;
        }

        parent.StartedAt = parent.Children.Min(c => c.StartedAt);
        var failed = parent.Children.FirstOrDefault(c => c.Status == "FAILED");
        var reason = failed is null ? null : parent.IsCancelled || parent.IsTerminated ? failed.StatusReason : "Array Child Job failed";
        Finish(parent, t, failed is null ? "SUCCEEDED" : "FAILED", reason);
    }

    // Something finished or freed capacity: dependants may move on, waiting jobs may fit. Higher-priority queues first.
    private void Reconsider(long t)
    {
        foreach (var job in _waiting.OrderByDescending(j => j.Queue.Priority).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList())
        {
            if (job.Status == "PENDING")
            {
                EvaluatePending(job, t);
            }
            else if (job.Status == "RUNNABLE" && job.Placement is null)
            {
                TryPlace(job, t);
            }
        }
    }

    private static DependencyState Dependencies(SandboxJob job)
    {
        var state = DependencyState.Satisfied;
        foreach (var dep in job.DependsOn)
        {
            switch (dep.Job?.Status)
            {
                case null or "SUCCEEDED":
                    break;
                case "FAILED":
                    return DependencyState.Failed;
                default:
                    state = DependencyState.Waiting;
                    break;
            }
        }

        return state;
    }

    private void WriteLog(SandboxJob job, SandboxAttempt attempt, AttemptOutcome outcome, double fromSecond, double toSecond)
    {
        var start = attempt.StartedAt!.Value;
        var events = BatchBehaviourRules.LogLines(job, job.Attempts.IndexOf(attempt) + 1, outcome)
            .Where(l => l.At >= fromSecond && l.At < toSecond)
            .Select(l => new SandboxLogEvent(start + (long)(l.At * 1000), l.Message, start + (long)(l.At * 1000) + 200)).ToList();
        if (events.Count > 0)
        {
            context.Logs.Append(LogGroup, attempt.LogStream!, events);
        }
    }

    private static void Release(SandboxJob job)
    {
        if (job.Placement is { } ce)
        {
            ce.UsedVcpus -= job.Vcpus;
            job.Placement = null;
        }
    }

    private void Add(SandboxJob job)
    {
        Jobs.Add(job);
        ById[job.Id] = job;
    }

    private void Schedule(SandboxJob job, long at)
    {
        job.NextAt = at;
        job.ScheduleVersion++;
        _due.Enqueue((job, job.ScheduleVersion), (at, _seq++));
    }

    private static void Unschedule(SandboxJob job)
    {
        job.NextAt = null;
        job.ScheduleVersion++;
    }

    private enum DependencyState { Satisfied, Waiting, Failed }
}
