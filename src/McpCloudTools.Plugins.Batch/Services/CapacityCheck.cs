using System.Globalization;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>Whether a queue can start a job: never without a change, not now (full), or yes.</summary>
internal enum CapacityState { Ok, Waiting, Blocked }

/// <summary>The verdict on a queue for one job, with the cause, the fix and the facts behind it.</summary>
internal sealed record CapacityVerdict(CapacityState State, string Cause, string? Fix, IReadOnlyList<string> Evidence)
{
    public bool Blocked => State != CapacityState.Ok;
}

/// <summary>
/// Why a RUNNABLE job does not start, from the queue and its compute environments alone: a disabled or invalid queue,
/// no usable compute environment, a job bigger than any allowed instance type or than max vCPUs, or environments
/// already at their maximum. Pure logic, shared by diagnosis and the submit-time warning.
/// </summary>
internal static class CapacityCheck
{
    // Fargate's largest task.
    private const int FargateVcpus = 16;
    private const int FargateMemoryMiB = 120 * 1024;

    public static CapacityVerdict Check(JobQueueDetail queue, IReadOnlyList<ComputeEnvironmentDetail> environments, JobNeeds needs)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(environments);
        var name = queue.JobQueueName;
        if (queue.State == "DISABLED")
        {
            return new(CapacityState.Blocked, $"job queue {name} is DISABLED, so it dispatches no jobs",
                $"enable it (aws batch update-job-queue --job-queue {name} --state ENABLED) or submit to another queue", []);
        }

        if (queue.Status == "INVALID")
        {
            return new(CapacityState.Blocked, $"job queue {name} is INVALID: {queue.StatusReason}",
                "fix what the reason names, or submit to another queue", []);
        }

        var byArn = environments.ToDictionary(e => e.ComputeEnvironmentArn, StringComparer.Ordinal);
        var ordered = (queue.ComputeEnvironmentOrder ?? []).OrderBy(o => o.Order)
            .Select(o => byArn.TryGetValue(o.ComputeEnvironment, out var ce) ? ce : null).OfType<ComputeEnvironmentDetail>().ToList();
        var evidence = ordered.Select(Describe).ToList();
        if (ordered.Count == 0)
        {
            return new(CapacityState.Blocked, $"job queue {name} has no compute environment attached", "attach a compute environment to the queue", evidence);
        }

        var usable = ordered.Where(Usable).ToList();
        if (usable.Count == 0)
        {
            var problems = string.Join("; ", ordered.Select(ce => $"{ce.ComputeEnvironmentName} is {ResourceService.CeHealth(ce)}" +
                (ce.Status == "INVALID" && ce.StatusReason is { } r ? $" ({r})" : "")));
            var fixes = string.Join("; ", ordered.Select(ce => ce.Status == "INVALID"
                ? $"fix the cause in {ce.ComputeEnvironmentName}'s status reason, then update the compute environment (aws batch update-compute-environment)"
                : $"enable {ce.ComputeEnvironmentName} (aws batch update-compute-environment --compute-environment {ce.ComputeEnvironmentName} --state ENABLED)"));
            return new(CapacityState.Blocked, $"no compute environment of queue {name} can run jobs: {problems}", fixes + "; or attach a VALID, ENABLED one", evidence);
        }

        var fits = usable.Select(ce => (Ce: ce, Why: WhyNotFit(ce, needs))).ToList();
        var fitting = fits.Where(f => f.Why is null).Select(f => f.Ce).ToList();
        if (fitting.Count == 0)
        {
            var why = string.Join("; ", fits.Select(f => $"{f.Ce.ComputeEnvironmentName}: {f.Why}"));
            return new(CapacityState.Blocked, $"the job ({needs}) is too big for every compute environment of queue {name}: {why}",
                $"ask for less ({Largest(usable)}), or allow larger instance types / raise maxvCpus", evidence);
        }

        // Desired vCPUs already count the jobs Batch is placing, so "full" is desired at max, not desired + this job.
        var full = fitting.Where(ce => ce.ComputeResources is { MaxvCpus: { } max } r && (r.DesiredvCpus ?? 0) >= max).ToList();
        if (full.Count == fitting.Count)
        {
            var where = string.Join(", ", full.Select(ce => $"{ce.ComputeEnvironmentName} at {ce.ComputeResources!.DesiredvCpus ?? 0} of max {ce.ComputeResources.MaxvCpus} vCPUs"));
            return new(CapacityState.Waiting, $"waiting for capacity: {where}, so the job waits for running jobs to finish",
                "wait, raise maxvCpus, or attach another compute environment to the queue", evidence);
        }

        var room = fitting.Except(full).First();
        return new(CapacityState.Ok, $"{room.ComputeEnvironmentName} has room (desired {room.ComputeResources?.DesiredvCpus ?? 0} of max {room.ComputeResources?.MaxvCpus} vCPUs)",
            null, evidence);
    }

    private static bool Usable(ComputeEnvironmentDetail ce) => ce.State != "DISABLED" && ce.Status is "VALID" or "UPDATING";

    /// <summary>Why the job can never be placed in <paramref name="ce"/>, or null when it can (or we cannot tell).</summary>
    private static string? WhyNotFit(ComputeEnvironmentDetail ce, JobNeeds needs)
    {
        var r = ce.ComputeResources;
        if (r is null)
        {
            return null;
        }

        if (needs.Vcpus is { } v && v > r.MaxvCpus)
        {
            return $"max {r.MaxvCpus} vCPUs";
        }

        if (r.Type is "FARGATE" or "FARGATE_SPOT")
        {
            return needs.Vcpus > FargateVcpus || needs.MemoryMiB > FargateMemoryMiB ? "Fargate tasks are at most 16 vCPU and 120 GiB" : null;
        }

        if (InstanceTypes.Fits(r.InstanceTypes, needs) != false)
        {
            return null;
        }

        var (largest, _) = InstanceTypes.LargestOf(r.InstanceTypes);
        return largest is { } l
            ? $"largest allowed type {l.Name} has {l.Vcpus} vCPU and about {l.UsableMemoryMiB} MiB usable ({InstanceTypes.Gib(l.MemoryMiB)} minus what the OS and ECS agent keep)"
            : "its instance types are too small";
    }

    private static string Largest(IEnumerable<ComputeEnvironmentDetail> usable)
    {
        var best = usable.Select(ce => ce.ComputeResources?.Type is "FARGATE" or "FARGATE_SPOT"
                ? new InstanceSize("Fargate", FargateVcpus, FargateMemoryMiB * 20 / 19)
                : InstanceTypes.LargestOf(ce.ComputeResources?.InstanceTypes).Largest)
            .OfType<InstanceSize>().MaxBy(s => s.UsableMemoryMiB);
        return best is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"up to {b.Vcpus} vCPU and {b.UsableMemoryMiB} MiB fit {b.Name}")
            : "a smaller vCPU and memory request";
    }

    private static string Describe(ComputeEnvironmentDetail ce)
    {
        var r = ce.ComputeResources;
        var parts = new List<string> { $"{ce.ComputeEnvironmentName}: {ce.State}/{ce.Status}" };
        if (r is not null)
        {
            parts.Add(r.Type ?? "");
            parts.Add($"vCPUs {r.MinvCpus ?? 0}/{r.DesiredvCpus ?? 0}/{r.MaxvCpus} (min/desired/max)");
            if (r.InstanceTypes is { Count: > 0 } types)
            {
                parts.Add("types " + string.Join(",", types));
            }
        }

        if (ce.Status != "VALID" && ce.StatusReason is { } reason)
        {
            parts.Add(reason);
        }

        return string.Join(", ", parts.Where(p => p.Length > 0));
    }
}
