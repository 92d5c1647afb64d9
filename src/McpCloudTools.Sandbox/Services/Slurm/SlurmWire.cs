using System.Text.Json.Nodes;

namespace McpCloudTools.Sandbox.Services.Slurm;

/// <summary>A job as read at one moment: its plan resolved against the clock and its dependencies.</summary>
internal sealed record SlurmJobView(SlurmSandboxJob Job, string State, string Reason, DateTimeOffset? Started, DateTimeOffset? Ended);

/// <summary>
/// Writes the emulated cluster in slurmrestd's shapes: v0.0.38 (Slurm 22.05: flat numbers, a raw wait status, lower-case
/// node states) and v0.0.41 (Slurm 24.05: state arrays and <c>{set, infinite, number}</c> structs). Field names and
/// types follow the real daemon; <c>SlurmFidelityTests</c> compare them with a real slurmrestd and the published schema.
/// </summary>
internal static class SlurmWire
{
    public const string Cluster = "hpc";

    public static JsonObject Envelope(string version, string key, JsonNode payload)
    {
        var o = new JsonObject { ["meta"] = Meta(version), ["errors"] = new JsonArray() };
        if (version != "v0.0.38")
        {
            o["warnings"] = new JsonArray();
        }

        o[key] = payload;
        return o;
    }

    public static JsonObject Meta(string version) => version == "v0.0.38"
        ? new JsonObject
        {
            ["plugin"] = new JsonObject { ["type"] = "openapi/v0.0.38", ["name"] = "Slurm OpenAPI v0.0.38" },
            ["Slurm"] = new JsonObject { ["version"] = new JsonObject { ["major"] = 22, ["micro"] = 8, ["minor"] = 5 }, ["release"] = "22.05.8" },
        }
        : new JsonObject
        {
            ["plugin"] = new JsonObject
            {
                ["type"] = "openapi/slurmctld", ["name"] = "Slurm OpenAPI slurmctld", ["data_parser"] = "data_parser/" + version,
                ["accounting_storage"] = "accounting_storage/none",
            },
            ["client"] = new JsonObject { ["source"] = "[127.0.0.1]:0", ["user"] = "sandbox", ["group"] = "sandbox" },
            ["command"] = new JsonArray(),
            ["slurm"] = new JsonObject
            {
                ["version"] = new JsonObject { ["major"] = "24", ["micro"] = "3", ["minor"] = "05" }, ["release"] = "24.05.3", ["cluster"] = Cluster,
            },
        };

    public static JsonObject NoVal(long? value, bool infinite = false) =>
        new() { ["set"] = value is not null, ["infinite"] = infinite, ["number"] = value ?? 0 };

    private static long Epoch(DateTimeOffset? t) => t?.ToUnixTimeSeconds() ?? 0;

    // ---- jobs

    public static JsonObject Job38(SlurmJobView v)
    {
        var j = v.Job;
        var ran = v.Started is not null;
        return new JsonObject
        {
            ["account"] = j.Account, ["accrue_time"] = Epoch(j.Submitted), ["array_job_id"] = j.ArrayJobId ?? 0,
            ["array_task_id"] = j.ArrayTaskId is { } t ? t : null, ["array_max_tasks"] = 0, ["array_task_string"] = j.ArrayTaskString ?? "",
            ["batch_flag"] = true, ["batch_host"] = ran ? FirstNode(j) : "", ["cluster"] = Cluster, ["command"] = "", ["comment"] = "",
            ["cpus"] = j.Cpus, ["cpus_per_task"] = null, ["current_working_directory"] = j.WorkDir, ["dependency"] = j.Dependency ?? "",
            ["derived_exit_code"] = 0, ["eligible_time"] = Epoch(j.Submitted), ["end_time"] = Epoch(v.Ended), ["excluded_nodes"] = "",
            ["exit_code"] = WaitStatus(v), ["features"] = "", ["group_id"] = 1000, ["group_name"] = j.User, ["job_id"] = j.JobId,
            ["job_state"] = v.State, ["name"] = j.Name, ["nodes"] = ran ? j.NodeList ?? "" : "", ["node_count"] = j.Nodes, ["partition"] = j.Partition,
            ["memory_per_node"] = j.MemoryPerNodeMb, ["memory_per_cpu"] = null, ["priority"] = v.State == "PENDING" ? j.Priority : 0, ["qos"] = j.Qos,
            ["required_nodes"] = j.RequiredNodes ?? "", ["requeue"] = true, ["restart_cnt"] = 0, ["standard_error"] = "", ["standard_input"] = "",
            ["standard_output"] = "", ["start_time"] = Epoch(v.Started), ["state_description"] = "", ["state_reason"] = v.Reason,
            ["submit_time"] = Epoch(j.Submitted), ["suspend_time"] = 0, ["tasks"] = j.Tasks, ["time_limit"] = j.TimeLimitMinutes,
            ["tres_req_str"] = Tres(j), ["tres_alloc_str"] = ran ? Tres(j) : "", ["user_id"] = 1000, ["user_name"] = j.User,
        };
    }

    public static JsonObject Job41(SlurmJobView v)
    {
        var j = v.Job;
        var ran = v.Started is not null;
        return new JsonObject
        {
            ["account"] = j.Account, ["accrue_time"] = NoVal(Epoch(j.Submitted)), ["array_job_id"] = NoVal(j.ArrayJobId ?? 0),
            ["array_task_id"] = NoVal(j.ArrayTaskId), ["array_max_tasks"] = NoVal(0), ["array_task_string"] = j.ArrayTaskString ?? "",
            ["batch_flag"] = true, ["batch_host"] = ran ? FirstNode(j) : "", ["cluster"] = Cluster, ["command"] = "", ["comment"] = "",
            ["cpus"] = NoVal(j.Cpus), ["cpus_per_task"] = NoVal(1), ["current_working_directory"] = j.WorkDir, ["dependency"] = j.Dependency ?? "",
            ["derived_exit_code"] = ExitCode41(v), ["eligible_time"] = NoVal(Epoch(j.Submitted)), ["end_time"] = NoVal(Epoch(v.Ended)),
            ["excluded_nodes"] = "", ["exit_code"] = ExitCode41(v), ["features"] = "", ["group_id"] = 1000, ["group_name"] = j.User,
            ["job_id"] = j.JobId, ["job_state"] = new JsonArray(v.State), ["name"] = j.Name, ["nodes"] = ran ? j.NodeList ?? "" : "",
            ["node_count"] = NoVal(j.Nodes), ["partition"] = j.Partition, ["memory_per_node"] = NoVal(j.MemoryPerNodeMb), ["memory_per_cpu"] = NoVal(null),
            ["priority"] = NoVal(v.State == "PENDING" ? j.Priority : 0), ["qos"] = j.Qos, ["required_nodes"] = j.RequiredNodes ?? "", ["requeue"] = true,
            ["restart_cnt"] = 0, ["standard_error"] = $"{j.WorkDir}/slurm-{j.JobId}.out", ["standard_input"] = "/dev/null",
            ["standard_output"] = $"{j.WorkDir}/slurm-{j.JobId}.out", ["start_time"] = NoVal(Epoch(v.Started)), ["state_description"] = "",
            ["state_reason"] = v.Reason, ["submit_time"] = NoVal(Epoch(j.Submitted)), ["suspend_time"] = NoVal(0), ["tasks"] = NoVal(j.Tasks),
            ["time_limit"] = NoVal(j.TimeLimitMinutes), ["tres_req_str"] = Tres(j), ["tres_alloc_str"] = ran ? Tres(j) : "", ["user_id"] = 1000,
            ["user_name"] = j.User,
        };
    }

    // v0.0.38 writes the wait status: the exit code in the high byte, the signal in the low seven bits.
    private static long WaitStatus(SlurmJobView v) => v.Ended is null ? 0 : ((long)v.Job.ExitCode << 8) | (long)(v.Job.Signal & 0x7F);

    private static JsonObject ExitCode41(SlurmJobView v)
    {
        var ended = v.Ended is not null;
        var j = v.Job;
        var status = !ended ? "PENDING" : j.Signal > 0 ? "SIGNALED" : j.ExitCode != 0 ? "ERROR" : "SUCCESS";
        return new JsonObject
        {
            ["status"] = new JsonArray(status), ["return_code"] = NoVal(ended ? j.ExitCode : null),
            ["signal"] = new JsonObject { ["id"] = NoVal(j.Signal > 0 && ended ? j.Signal : null), ["name"] = j.Signal > 0 && ended ? SignalName(j.Signal) : "" },
        };
    }

    private static string SignalName(int signal) => signal switch { 9 => "SIGKILL", 15 => "SIGTERM", 125 => "SIGRTMAX-?", _ => $"SIG{signal}" };

    private static string FirstNode(SlurmSandboxJob j) => (j.NodeList ?? "").Split(',')[0];

    private static string Tres(SlurmSandboxJob j) =>
        $"cpu={j.Cpus},mem={(j.MemoryPerNodeMb ?? 4000) * j.Nodes}M,node={j.Nodes},billing={j.Cpus}";

    // ---- nodes

    public static JsonObject Node38(SlurmSandboxNode n) => new()
    {
        ["architecture"] = "x86_64", ["burstbuffer_network_address"] = "", ["boards"] = 1, ["boot_time"] = 1_796_000_000, ["comment"] = "",
        ["cores"] = n.Cpus / 2, ["cpu_binding"] = 0, ["cpu_load"] = n.CpuLoad, ["extra"] = "", ["free_memory"] = n.MemoryMb - n.AllocMemoryMb,
        ["cpus"] = n.Cpus, ["last_busy"] = 1_796_000_000, ["features"] = string.Join(",", n.Features), ["active_features"] = string.Join(",", n.Features),
        ["gres"] = "", ["gres_drained"] = "N/A", ["gres_used"] = "", ["mcs_label"] = "", ["name"] = n.Name, ["next_state_after_reboot"] = "invalid",
        ["address"] = n.Name, ["hostname"] = n.Name, ["state"] = n.State.ToLowerInvariant(), ["state_flags"] = Array(n.Flags),
        ["next_state_after_reboot_flags"] = new JsonArray(), ["operating_system"] = "Linux 5.15", ["owner"] = null, ["partitions"] = Array(n.Partitions),
        ["port"] = 6818, ["real_memory"] = n.MemoryMb, ["reason"] = n.Reason ?? "", ["reason_changed_at"] = Epoch(n.ReasonAt),
        ["reason_set_by_user"] = n.ReasonBy, ["slurmd_start_time"] = 1_796_000_000, ["sockets"] = 2, ["threads"] = 1, ["temporary_disk"] = 0,
        ["weight"] = 1, ["tres"] = $"cpu={n.Cpus},mem={n.MemoryMb}M,billing={n.Cpus}", ["slurmd_version"] = "22.05.8", ["alloc_memory"] = n.AllocMemoryMb,
        ["alloc_cpus"] = n.AllocCpus, ["idle_cpus"] = n.Cpus - n.AllocCpus, ["tres_used"] = null, ["tres_weighted"] = 0.0,
    };

    public static JsonObject Node41(SlurmSandboxNode n) => new()
    {
        ["architecture"] = "x86_64", ["burstbuffer_network_address"] = "", ["boards"] = 1, ["boot_time"] = NoVal(1_796_000_000), ["cluster_name"] = "",
        ["cores"] = n.Cpus / 2, ["specialized_cores"] = 0, ["cpu_binding"] = 0, ["cpu_load"] = n.CpuLoad, ["free_mem"] = NoVal(n.MemoryMb - n.AllocMemoryMb),
        ["cpus"] = n.Cpus, ["effective_cpus"] = n.Cpus, ["specialized_cpus"] = "", ["extra"] = "", ["features"] = Array(n.Features),
        ["active_features"] = Array(n.Features), ["gres"] = "", ["gres_drained"] = "N/A", ["gres_used"] = "", ["instance_id"] = "", ["instance_type"] = "",
        ["last_busy"] = NoVal(1_796_000_000), ["mcs_label"] = "", ["specialized_memory"] = 0, ["name"] = n.Name,
        ["next_state_after_reboot"] = new JsonArray("INVALID"), ["address"] = n.Name, ["hostname"] = n.Name,
        ["state"] = Array([n.State, .. n.Flags]), ["operating_system"] = "Linux 5.15", ["owner"] = "", ["partitions"] = Array(n.Partitions), ["port"] = 6818,
        ["real_memory"] = n.MemoryMb, ["res_cores_per_gpu"] = 0, ["comment"] = "", ["reason"] = n.Reason ?? "", ["reason_changed_at"] = NoVal(Epoch(n.ReasonAt)),
        ["reason_set_by_user"] = n.ReasonBy ?? "", ["resume_after"] = NoVal(0), ["reservation"] = "", ["alloc_memory"] = n.AllocMemoryMb,
        ["alloc_cpus"] = n.AllocCpus, ["alloc_idle_cpus"] = n.Cpus - n.AllocCpus, ["tres_used"] = "", ["tres_weighted"] = 0.0,
        ["slurmd_start_time"] = NoVal(1_796_000_000), ["sockets"] = 2, ["threads"] = 1, ["temporary_disk"] = 0, ["weight"] = 1,
        ["tres"] = $"cpu={n.Cpus},mem={n.MemoryMb}M,billing={n.Cpus}", ["version"] = "24.05.3",
    };

    // ---- partitions

    public static JsonObject Partition38(SlurmSandboxPartition p, IReadOnlyList<SlurmSandboxNode> nodes) => new()
    {
        ["flags"] = p.IsDefault ? new JsonArray("default") : new JsonArray(), ["preemption_mode"] = new JsonArray("disabled"),
        ["allowed_allocation_nodes"] = "", ["allowed_accounts"] = "", ["allowed_groups"] = "", ["allowed_qos"] = "", ["alternative"] = "",
        ["billing_weights"] = "", ["default_memory_per_cpu"] = null, ["default_memory_per_node"] = null, ["default_time_limit"] = null,
        ["denied_accounts"] = "", ["denied_qos"] = "", ["preemption_grace_time"] = 0, ["maximum_cpus_per_node"] = -1, ["maximum_memory_per_cpu"] = null,
        ["maximum_memory_per_node"] = null, ["maximum_nodes_per_job"] = p.MaxNodesPerJob ?? -1, ["max_time_limit"] = p.MaxTimeMinutes,
        ["min nodes per job"] = 0, ["name"] = p.Name, ["nodes"] = string.Join(",", p.Nodes), ["over_time_limit"] = null, ["priority_job_factor"] = 1,
        ["priority_tier"] = 1, ["qos"] = "", ["state"] = p.State, ["total_cpus"] = Cpus(p, nodes), ["total_nodes"] = p.Nodes.Count,
        ["tres"] = $"cpu={Cpus(p, nodes)},node={p.Nodes.Count}",
    };

    public static JsonObject Partition41(SlurmSandboxPartition p, IReadOnlyList<SlurmSandboxNode> nodes) => new()
    {
        ["nodes"] = new JsonObject { ["allowed_allocation"] = "", ["configured"] = string.Join(",", p.Nodes), ["total"] = p.Nodes.Count },
        ["accounts"] = new JsonObject { ["allowed"] = "", ["deny"] = "" }, ["groups"] = new JsonObject { ["allowed"] = "" },
        ["qos"] = new JsonObject { ["allowed"] = "", ["deny"] = "", ["assigned"] = "" }, ["alternate"] = "",
        ["tres"] = new JsonObject { ["billing_weights"] = "", ["configured"] = $"cpu={Cpus(p, nodes)},node={p.Nodes.Count}" }, ["cluster"] = "",
        ["select_type"] = new JsonArray(), ["cpus"] = new JsonObject { ["task_binding"] = 0, ["total"] = Cpus(p, nodes) },
        ["defaults"] = new JsonObject { ["memory_per_cpu"] = 0, ["partition_memory_per_cpu"] = NoVal(null), ["partition_memory_per_node"] = NoVal(null), ["time"] = NoVal(null), ["job"] = "" },
        ["grace_time"] = 0,
        ["maximums"] = new JsonObject
        {
            ["cpus_per_node"] = NoVal(null, true), ["cpus_per_socket"] = NoVal(null, true), ["memory_per_cpu"] = 0, ["partition_memory_per_cpu"] = NoVal(null),
            ["partition_memory_per_node"] = NoVal(0), ["nodes"] = p.MaxNodesPerJob is { } mn ? NoVal(mn) : NoVal(null, true), ["shares"] = 1,
            ["oversubscribe"] = new JsonObject { ["jobs"] = 1, ["flags"] = new JsonArray() },
            ["time"] = p.MaxTimeMinutes is { } t ? NoVal(t) : NoVal(null, true), ["over_time_limit"] = NoVal(null),
        },
        ["minimums"] = new JsonObject { ["nodes"] = 0 }, ["name"] = p.Name, ["node_sets"] = "",
        ["priority"] = new JsonObject { ["job_factor"] = 1, ["tier"] = 1 },
        ["timeouts"] = new JsonObject { ["resume"] = NoVal(null), ["suspend"] = NoVal(null) },
        ["partition"] = new JsonObject { ["state"] = new JsonArray(p.State) }, ["suspend_time"] = NoVal(null),
    };

    private static long Cpus(SlurmSandboxPartition p, IReadOnlyList<SlurmSandboxNode> nodes) => nodes.Where(n => p.Nodes.Contains(n.Name)).Sum(n => (long)n.Cpus);

    // ---- ping, diag, submit

    public static JsonArray Pings(string version) => version == "v0.0.38"
        ? new JsonArray(new JsonObject { ["hostname"] = "head-node", ["ping"] = "UP", ["status"] = 0, ["mode"] = "primary" })
        : new JsonArray(new JsonObject { ["hostname"] = "head-node", ["pinged"] = "UP", ["latency"] = 212, ["mode"] = "primary" });

    public static JsonObject Statistics(string version, long now, int pending, int running) => new()
    {
        ["parts_packed"] = 1, ["req_time"] = version == "v0.0.38" ? now : NoVal(now), ["req_time_start"] = version == "v0.0.38" ? now - 86_400 : NoVal(now - 86_400),
        ["server_thread_count"] = 3, ["agent_queue_size"] = 0, ["agent_count"] = 0, ["agent_thread_count"] = 0, ["dbd_agent_queue_size"] = 0,
        ["jobs_submitted"] = pending + running, ["jobs_started"] = running, ["jobs_completed"] = 0, ["jobs_canceled"] = 0, ["jobs_failed"] = 0,
        ["jobs_pending"] = pending, ["jobs_running"] = running,
    };

    public static JsonObject Submitted(string version, long jobId)
    {
        var o = new JsonObject { ["meta"] = Meta(version), ["errors"] = new JsonArray() };
        if (version == "v0.0.38")
        {
            o["job_id"] = jobId;
            o["step_id"] = "BATCH";
            o["job_submit_user_msg"] = "";
            return o;
        }

        o["warnings"] = new JsonArray();
        o["result"] = new JsonObject { ["job_id"] = jobId, ["step_id"] = "batch", ["error_code"] = 0, ["error"] = "No error", ["job_submit_user_msg"] = "" };
        o["job_id"] = jobId;
        o["step_id"] = "batch";
        o["job_submit_user_msg"] = "";
        return o;
    }

    private static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)i)]);
}
