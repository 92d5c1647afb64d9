namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>How a pending reason behaves.</summary>
internal enum ReasonKind
{
    /// <summary>The job waits its turn; it starts by itself.</summary>
    Waiting,
    /// <summary>Something must change first (a node back up, a hold released, a limit raised).</summary>
    Blocked,
    /// <summary>It can never start as submitted.</summary>
    Never,
}

/// <summary>A pending reason in plain words and what unblocks it.</summary>
internal sealed record ReasonInfo(string Code, ReasonKind Kind, string Meaning, string? Unblock);

/// <summary>Slurm's pending reasons (squeue's REASON column), the common ones explained.</summary>
internal static class JobReasons
{
    private static readonly Dictionary<string, ReasonInfo> Known = new ReasonInfo[]
    {
        new("Resources", ReasonKind.Waiting, "waiting for resources: the nodes it needs are busy", "nothing: it starts when enough CPUs/memory free up"),
        new("Priority", ReasonKind.Waiting, "higher-priority jobs are queued ahead of it in its partition", "nothing: it starts after them"),
        new("Dependency", ReasonKind.Waiting, "waiting for the jobs it depends on", "nothing while they run; it starts when the dependency is met"),
        new("DependencyNeverSatisfied", ReasonKind.Never, "its dependency can never be met: a job it depends on failed or was cancelled",
            "cancel it (slurm_job_cancel) and resubmit after fixing the failed dependency, or change the dependency (scontrol update jobid=ID dependency=...)"),
        new("BeginTime", ReasonKind.Waiting, "its earliest start time (--begin) has not come", "nothing, or scontrol update jobid=ID starttime=now"),
        new("JobHeldUser", ReasonKind.Blocked, "held by its user", "scontrol release ID"),
        new("JobHeldAdmin", ReasonKind.Blocked, "held by an administrator", "ask an administrator to release it (scontrol release ID)"),
        new("ReqNodeNotAvail", ReasonKind.Blocked, "a node it needs is down, drained or reserved",
            "wait for the node to return, or resubmit without the node list / on another partition"),
        new("NodeDown", ReasonKind.Blocked, "a node it needs is down", "wait for the node to return or ask an administrator"),
        new("PartitionDown", ReasonKind.Blocked, "its partition is DOWN (jobs queue but none start)", "use another partition, or ask an administrator to set it UP"),
        new("PartitionInactive", ReasonKind.Blocked, "its partition is INACTIVE", "use another partition"),
        new("PartitionTimeLimit", ReasonKind.Never, "its time limit is above its partition's maximum", "resubmit with a time limit within the partition's maximum, or to a partition that allows it"),
        new("PartitionNodeLimit", ReasonKind.Never, "it asks for more (or fewer) nodes than its partition allows per job", "resubmit with a node count within the partition's limits"),
        new("PartitionConfig", ReasonKind.Never, "it asks for more resources than its partition has", "resubmit with fewer CPUs/memory or to another partition"),
        new("BadConstraints", ReasonKind.Never, "no node can satisfy its constraints (features, memory, CPUs per node)", "resubmit with a request a node of the partition can hold"),
        new("QOSMaxJobsPerUserLimit", ReasonKind.Waiting, "its user already runs the most jobs the QOS allows", "nothing: it starts when one of the user's jobs ends"),
        new("QOSMaxSubmitJobPerUserLimit", ReasonKind.Waiting, "its user has the most jobs the QOS allows queued", "wait or cancel some of them"),
        new("QOSMaxCpuPerUserLimit", ReasonKind.Waiting, "its user uses the most CPUs the QOS allows", "nothing: it starts when the user's jobs free CPUs"),
        new("QOSGrpCpuLimit", ReasonKind.Waiting, "the QOS's group CPU limit is in use", "nothing: it starts when the group's jobs free CPUs"),
        new("QOSMaxWallDurationPerJobLimit", ReasonKind.Never, "its time limit is above the QOS's maximum", "resubmit with a shorter time limit or another QOS"),
        new("AssocMaxJobsLimit", ReasonKind.Waiting, "its account's running-job limit is reached", "nothing: it starts when the account's jobs end"),
        new("AssocGrpCpuLimit", ReasonKind.Waiting, "its account's CPU limit is in use", "nothing: it starts when the account's jobs free CPUs"),
        new("AssocGrpCPUMinutesLimit", ReasonKind.Blocked, "its account used up its CPU-minutes budget", "ask an administrator to raise the account's GrpTRESMins"),
        new("AssocGrpBillingMinutes", ReasonKind.Blocked, "its account used up its billing budget", "ask an administrator to raise the account's budget"),
        new("InvalidAccount", ReasonKind.Never, "its account is not valid", "resubmit with a valid account (--account)"),
        new("InvalidQOS", ReasonKind.Never, "its QOS is not valid", "resubmit with a valid QOS (--qos)"),
        new("JobArrayTaskLimit", ReasonKind.Waiting, "its array's running-task limit (%N) is reached", "nothing: more tasks start as others end"),
        new("Licenses", ReasonKind.Waiting, "waiting for licenses", "nothing: it starts when licenses free up"),
        new("Reservation", ReasonKind.Waiting, "waiting for its advanced reservation to start", "nothing until the reservation begins"),
        new("ReqNodeNotAvail, Reserved for maintenance", ReasonKind.Blocked, "its nodes are reserved for maintenance", "wait for the maintenance to end or shorten the time limit to finish before it"),
        new("PowerUpNode", ReasonKind.Waiting, "its nodes are powering up (cloud nodes take a few minutes)", "nothing; if it lasts, the nodes may fail to launch (slurm_node_list)"),
        new("Configuring", ReasonKind.Waiting, "its nodes are booting", "nothing; if it lasts, check slurm_node_list for failing nodes"),
        new("Prolog", ReasonKind.Waiting, "its prolog is running", "nothing"),
        new("Cleaning", ReasonKind.Waiting, "it was requeued and its last run is still being cleaned up", "nothing"),
        new("launch failed requeued held", ReasonKind.Blocked, "its launch failed, so Slurm requeued and held it",
            "fix the node or working directory problem, then scontrol release ID"),
        new("JobLaunchFailure", ReasonKind.Blocked, "its launch failed", "check the node's slurmd log and the working directory"),
        new("NodeNotAvail", ReasonKind.Blocked, "no node of its partition is available", "check slurm_node_list for down or drained nodes"),
    }.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>What a reason means; unknown reasons are reported as they are.</summary>
    public static ReasonInfo Lookup(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new ReasonInfo("None", ReasonKind.Waiting, "no reason given yet (the scheduler has not looked at it)", "nothing: the scheduler evaluates it shortly");
        }

        var code = reason.Trim();
        if (Known.TryGetValue(code, out var exact))
        {
            return exact;
        }

        // Slurm appends details: "ReqNodeNotAvail, UnavailableNodes:cn[1-2]".
        var head = code.Split(',', 2)[0].Trim();
        return Known.TryGetValue(head, out var info)
            ? info with { Code = code }
            : new ReasonInfo(code, code.Contains("Limit", StringComparison.Ordinal) ? ReasonKind.Waiting : ReasonKind.Blocked,
                $"Slurm's reason {code}", "see squeue's reason codes (docs/slurm.md)");
    }
}
