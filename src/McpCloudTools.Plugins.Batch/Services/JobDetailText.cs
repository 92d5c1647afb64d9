using System.Globalization;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>One job described in a few lines: status and timeline, reason, container, attempts, array, dependencies, logs.</summary>
internal static class JobDetailText
{
    /// <summary>The first line of every job answer: id, name, status, queue, definition.</summary>
    public static string Headline(JobDetail job) =>
        $"job {job.JobId} ({job.JobName}) {job.Status} in queue {JobText.Name(job.JobQueue)}, definition {JobText.Name(job.JobDefinition)}";

    /// <summary>created, started and stopped, with the wait before start and the run time.</summary>
    public static string Timeline(JobDetail job, DateTimeOffset now)
    {
        var created = JobText.Time(job.CreatedAt);
        var started = JobText.Time(job.StartedAt);
        var stopped = JobText.Time(job.StoppedAt);
        var parts = new List<string>();
        if (created is { } c)
        {
            parts.Add("created " + Fmt.Time(c));
        }

        if (started is { } s)
        {
            parts.Add("started " + Fmt.Time(s) + (created is { } c2 ? $" (after {JobText.Duration(s - c2)})" : ""));
        }

        if (stopped is { } e)
        {
            parts.Add("stopped " + Fmt.Time(e) + (started is { } s2 ? $" (ran {JobText.Duration(e - s2)})" : ""));
        }
        else if (started is { } s3 && !JobText.IsFinal(job.Status))
        {
            parts.Add($"running for {JobText.Duration(now - s3)}");
        }
        else if (created is { } c3 && !JobText.IsFinal(job.Status))
        {
            parts.Add($"not started after {JobText.Duration(now - c3)}");
        }

        return string.Join(", ", parts);
    }

    public static string Describe(JobDetail job, IReadOnlyList<JobDetail> dependencies, DateTimeOffset now)
    {
        var o = new ToolOutput().Line(Headline(job));
        o.Field("timeline", Timeline(job, now));
        o.Field("status reason", job.StatusReason);
        if (job.IsCancelled == true || job.IsTerminated == true)
        {
            o.Field("stopped by", job.IsTerminated == true ? "TerminateJob" : "CancelJob");
        }

        var c = job.Container;
        if (c is not null)
        {
            var needs = JobText.Needs(c);
            o.Field("container", string.Join(", ", new[]
            {
                c.Image, needs.ToString(), c.Command is { Count: > 0 } cmd ? "command: " + Fmt.Truncate(string.Join(' ', cmd), 200) : null,
            }.Where(s => !string.IsNullOrWhiteSpace(s))));
            o.Field("environment", c.Environment is { Count: > 0 } env
                ? string.Join(", ", env.Select(e => $"{e.Name}={Redactor.Sensitive(e.Value)}"))
                : null);
            if (c.ExitCode is not null || c.Reason is not null)
            {
                o.Field("exit", $"{c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}{(c.Reason is null ? "" : " " + c.Reason)}");
            }
        }

        var allowed = job.RetryStrategy?.Attempts ?? 1;
        var attempts = job.Attempts ?? [];
        if (attempts.Count > 0)
        {
            o.Section($"attempts ({attempts.Count} of {allowed} allowed)", s =>
            {
                for (var i = 0; i < attempts.Count; i++)
                {
                    s.Line($"#{i + 1} " + Attempt(attempts[i]));
                }
            });
        }
        else if (allowed > 1)
        {
            o.Field("retries", $"up to {allowed} attempts");
        }

        o.Field("array", Array(job));
        if (dependencies.Count > 0 || job.DependsOn is { Count: > 0 })
        {
            o.Field("depends on", string.Join(", ", (job.DependsOn ?? []).Select(d =>
            {
                var dep = dependencies.FirstOrDefault(x => x.JobId == d.JobId);
                return $"{d.JobId ?? "previous child"}{(d.Type is null ? "" : $" [{d.Type}]")}" + (dep is null ? "" : $" {dep.Status}");
            })));
        }

        o.Field("timeout", job.Timeout?.AttemptDurationSeconds is { } t ? $"{t}s per attempt" : null);
        if (JobText.LogStream(job) is { } stream)
        {
            o.Field("log stream", $"{JobText.LogGroup(job)} {stream} (batch_job_logs)");
        }
        else if (!JobText.IsArrayParent(job))
        {
            o.Field("log stream", "none yet (created when an attempt starts running)");
        }

        return o.ToString();
    }

    /// <summary>One attempt: times, exit code, reasons, and where it ran.</summary>
    public static string Attempt(AttemptDetail a)
    {
        var parts = new List<string>();
        if (JobText.Time(a.StartedAt) is { } s)
        {
            parts.Add(JobText.Time(a.StoppedAt) is { } e ? $"{Fmt.Time(s)} ran {JobText.Duration(e - s)}" : $"{Fmt.Time(s)} running");
        }

        if (a.Container?.ExitCode is { } code)
        {
            parts.Add($"exit {code}");
        }

        if (!string.IsNullOrWhiteSpace(a.Container?.Reason))
        {
            parts.Add(a.Container.Reason);
        }

        if (!string.IsNullOrWhiteSpace(a.StatusReason) && a.StatusReason != JobText.ContainerExited)
        {
            parts.Add(a.StatusReason);
        }

        if (a.Container?.LogStreamName is { } stream)
        {
            parts.Add("stream " + stream);
        }

        return parts.Count == 0 ? "no details" : string.Join("; ", parts);
    }

    public static string? Array(JobDetail job) => job.ArrayProperties switch
    {
        { Index: { } index } => $"child #{index} of array job {ParentId(job.JobId)}",
        { Size: { } size, StatusSummary: var summary } => $"parent of {size} children: {JobText.Counts(summary)} (batch_job_list array_job_id={job.JobId})",
        _ => null,
    };

    /// <summary>The parent of an array child id (<c>parent:3</c> → <c>parent</c>).</summary>
    public static string ParentId(string childId) => childId.LastIndexOf(':') is var i and > 0 ? childId[..i] : childId;
}
