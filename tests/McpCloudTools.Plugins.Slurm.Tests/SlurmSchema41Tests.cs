using System.Text.Json.Nodes;
using McpCloudTools.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// The sandbox's v0.0.41 (Slurm 24.05) answers against the published OpenAPI schema of v0.0.41 (SchedMD's
/// <c>openapi/slurmctld</c> with <c>data_parser/v0.0.41</c>, as published e.g. in SlinkyProject/slurm-client
/// <c>api/v0041/slurm-openapi.gen.json</c>), and field names against answers of a real 24.05 slurmrestd
/// (rackslab/Slurm-web <c>tests/assets/slurmrestd/24.05/0.0.41</c>). No 24.05 runs here, so this is the reference.
/// </summary>
public sealed class SlurmSchema41Tests : IAsyncLifetime
{
    private const string NoVal = "{set,infinite,number}";

    // Path → schema type, for every field the plugin reads (a no-value struct is written as NoVal).
    private static readonly Dictionary<string, string> Schema = new()
    {
        ["pings[].hostname"] = "string", ["pings[].pinged"] = "string", ["pings[].mode"] = "string", ["pings[].latency"] = "number",
        ["meta.slurm.release"] = "string", ["meta.slurm.cluster"] = "string", ["errors"] = "array", ["warnings"] = "array",
        ["statistics.server_thread_count"] = "number", ["statistics.agent_queue_size"] = "number", ["statistics.jobs_pending"] = "number",
        ["statistics.jobs_running"] = "number",
        ["jobs[].job_id"] = "number", ["jobs[].name"] = "string", ["jobs[].user_name"] = "string", ["jobs[].partition"] = "string",
        ["jobs[].job_state"] = "array", ["jobs[].state_reason"] = "string", ["jobs[].state_description"] = "string", ["jobs[].array_job_id"] = NoVal,
        ["jobs[].array_task_id"] = NoVal, ["jobs[].array_task_string"] = "string", ["jobs[].submit_time"] = NoVal, ["jobs[].eligible_time"] = NoVal,
        ["jobs[].start_time"] = NoVal, ["jobs[].end_time"] = NoVal, ["jobs[].time_limit"] = NoVal, ["jobs[].exit_code.status"] = "array",
        ["jobs[].exit_code.return_code"] = NoVal, ["jobs[].exit_code.signal.id"] = NoVal, ["jobs[].exit_code.signal.name"] = "string",
        ["jobs[].cpus"] = NoVal, ["jobs[].node_count"] = NoVal, ["jobs[].tasks"] = NoVal, ["jobs[].cpus_per_task"] = NoVal, ["jobs[].memory_per_node"] = NoVal,
        ["jobs[].memory_per_cpu"] = NoVal, ["jobs[].nodes"] = "string", ["jobs[].required_nodes"] = "string", ["jobs[].features"] = "string",
        ["jobs[].dependency"] = "string", ["jobs[].current_working_directory"] = "string", ["jobs[].standard_output"] = "string",
        ["jobs[].standard_error"] = "string", ["jobs[].tres_req_str"] = "string", ["jobs[].tres_alloc_str"] = "string", ["jobs[].qos"] = "string",
        ["jobs[].account"] = "string", ["jobs[].batch_host"] = "string", ["jobs[].priority"] = NoVal, ["jobs[].command"] = "string",
        ["nodes[].name"] = "string", ["nodes[].state"] = "array", ["nodes[].reason"] = "string", ["nodes[].reason_set_by_user"] = "string",
        ["nodes[].reason_changed_at"] = NoVal, ["nodes[].cpus"] = "number", ["nodes[].alloc_cpus"] = "number", ["nodes[].real_memory"] = "number",
        ["nodes[].alloc_memory"] = "number", ["nodes[].free_mem"] = NoVal, ["nodes[].features"] = "array", ["nodes[].partitions"] = "array",
        ["nodes[].cpu_load"] = "number",
        ["partitions[].name"] = "string", ["partitions[].nodes.configured"] = "string", ["partitions[].nodes.total"] = "number",
        ["partitions[].cpus.total"] = "number", ["partitions[].maximums.time"] = NoVal, ["partitions[].maximums.nodes"] = NoVal,
        ["partitions[].maximums.partition_memory_per_node"] = NoVal, ["partitions[].defaults.time"] = NoVal, ["partitions[].partition.state"] = "array",
        ["job_id"] = "number", ["step_id"] = "string", ["job_submit_user_msg"] = "string", ["result.job_id"] = "number",
    };

    // Enums of the published schema.
    private static readonly Dictionary<string, HashSet<string>> Enums = new()
    {
        ["jobs[].job_state[]"] =
        [
            "PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE",
            "OUT_OF_MEMORY", "LAUNCH_FAILED", "UPDATE_DB", "REQUEUED", "REQUEUE_HOLD", "SPECIAL_EXIT", "RESIZING", "CONFIGURING", "COMPLETING",
            "STOPPED", "RECONFIG_FAIL", "POWER_UP_NODE", "REVOKED", "REQUEUE_FED", "RESV_DEL_HOLD", "SIGNALING", "STAGE_OUT",
        ],
        ["jobs[].exit_code.status[]"] = ["INVALID", "PENDING", "SUCCESS", "ERROR", "SIGNALED", "CORE_DUMPED"],
        ["nodes[].state[]"] =
        [
            "INVALID", "UNKNOWN", "DOWN", "IDLE", "ALLOCATED", "ERROR", "MIXED", "FUTURE", "RESERVED", "UNDRAIN", "CLOUD", "RESUME", "DRAIN",
            "COMPLETING", "NOT_RESPONDING", "POWERED_DOWN", "FAIL", "POWERING_UP", "MAINTENANCE", "REBOOT_REQUESTED", "REBOOT_CANCELED",
            "POWERING_DOWN", "DYNAMIC_FUTURE", "REBOOT_ISSUED", "PLANNED", "INVALID_REG", "POWER_DOWN", "POWER_UP", "POWER_DRAIN", "DYNAMIC_NORM",
        ],
        ["partitions[].partition.state[]"] = ["INACTIVE", "UNKNOWN", "UP", "DOWN", "DRAIN"],
    };

    // Every field name a real 24.05 slurmrestd writes in these objects (top level of a job, node and partition).
    private static readonly HashSet<string> RealJobFields =
    [
        "account", "accrue_time", "admin_comment", "allocating_node", "array_job_id", "array_task_id", "array_max_tasks", "array_task_string",
        "association_id", "batch_features", "batch_flag", "batch_host", "flags", "burst_buffer", "burst_buffer_state", "cluster", "cluster_features",
        "command", "comment", "container", "container_id", "contiguous", "core_spec", "thread_spec", "cores_per_socket", "billable_tres", "cpus_per_task",
        "cpu_frequency_minimum", "cpu_frequency_maximum", "cpu_frequency_governor", "cpus_per_tres", "cron", "deadline", "delay_boot", "dependency",
        "derived_exit_code", "eligible_time", "end_time", "excluded_nodes", "exit_code", "extra", "failed_node", "features", "federation_origin",
        "federation_siblings_active", "federation_siblings_viable", "gres_detail", "group_id", "group_name", "het_job_id", "het_job_id_set",
        "het_job_offset", "job_id", "job_resources", "job_size_str", "job_state", "last_sched_evaluation", "licenses", "mail_type", "mail_user",
        "max_cpus", "max_nodes", "mcs_label", "memory_per_tres", "name", "network", "nodes", "nice", "tasks_per_core", "tasks_per_tres",
        "tasks_per_node", "tasks_per_socket", "tasks_per_board", "cpus", "node_count", "tasks", "partition", "prefer", "memory_per_cpu",
        "memory_per_node", "minimum_cpus_per_node", "minimum_tmp_disk_per_node", "power", "preempt_time", "preemptable_time", "pre_sus_time", "hold",
        "priority", "profile", "qos", "reboot", "required_nodes", "minimum_switches", "requeue", "resize_time", "restart_cnt", "resv_name",
        "scheduled_nodes", "selinux_context", "shared", "exclusive", "oversubscribe", "show_flags", "sockets_per_board", "sockets_per_node",
        "start_time", "state_description", "state_reason", "standard_error", "standard_input", "standard_output", "submit_time", "suspend_time",
        "system_comment", "time_limit", "time_minimum", "threads_per_core", "tres_bind", "tres_freq", "tres_per_job", "tres_per_node",
        "tres_per_socket", "tres_per_task", "tres_req_str", "tres_alloc_str", "user_id", "user_name", "maximum_switch_wait_time", "wckey",
        "current_working_directory",
    ];

    private static readonly HashSet<string> RealNodeFields =
    [
        "architecture", "burstbuffer_network_address", "boards", "boot_time", "cluster_name", "cores", "specialized_cores", "cpu_binding", "cpu_load",
        "free_mem", "cpus", "effective_cpus", "specialized_cpus", "energy", "external_sensors", "extra", "power", "features", "active_features",
        "gpu_spec", "gres", "gres_drained", "gres_used", "instance_id", "instance_type", "last_busy", "mcs_label", "specialized_memory", "name",
        "next_state_after_reboot", "address", "hostname", "state", "operating_system", "owner", "partitions", "port", "real_memory",
        "res_cores_per_gpu", "comment", "reason", "reason_changed_at", "reason_set_by_user", "resume_after", "reservation", "alloc_memory",
        "alloc_cpus", "alloc_idle_cpus", "tres_used", "tres_weighted", "slurmd_start_time", "sockets", "threads", "temporary_disk", "weight", "tres",
        "version",
    ];

    private static readonly HashSet<string> RealPartitionFields =
    [
        "nodes", "accounts", "groups", "qos", "alternate", "tres", "cluster", "select_type", "cpus", "defaults", "grace_time", "maximums", "minimums",
        "name", "node_sets", "priority", "timeouts", "partition", "suspend_time",
    ];

    private SandboxHost _sandbox = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        _http = new HttpClient { BaseAddress = _sandbox.Endpoint };
        _http.DefaultRequestHeaders.Add("X-SLURM-USER-NAME", _sandbox.Options.SlurmUser);
        _http.DefaultRequestHeaders.Add("X-SLURM-USER-TOKEN", _sandbox.Options.SlurmToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task EveryEndpoint_WritesThePublishedTypesAndEnums()
    {
        var submit = await _http.PostAsync("slurm/v0.0.41/job/submit", new StringContent(
            """{"job":{"script":"#!/bin/bash\nsleep 5\n","name":"schema","partition":"compute","current_working_directory":"/tmp","environment":["PATH=/bin"],"time_limit":{"set":true,"number":5}}}""",
            System.Text.Encoding.UTF8, "application/json"));
        submit.IsSuccessStatusCode.Should().BeTrue(await submit.Content.ReadAsStringAsync());
        var documents = new List<JsonNode?> { JsonNode.Parse(await submit.Content.ReadAsStringAsync()) };
        foreach (var endpoint in new[] { "ping", "diag", "jobs", "nodes", "partitions", "job/4100", "partition/gpu" })
        {
            documents.Add(JsonNode.Parse(await _http.GetStringAsync($"slurm/v0.0.41/{endpoint}")));
        }

        var shape = JsonShape.Of([.. documents]);
        foreach (var (path, type) in Schema)
        {
            if (type == NoVal)
            {
                shape.Concrete(path).Should().Equal(["object"], $"{path} is a no-value struct in v0.0.41");
                shape.Concrete(path + ".set").Should().Equal(["boolean"]);
                shape.Concrete(path + ".infinite").Should().Equal(["boolean"]);
                shape.Concrete(path + ".number").Should().Equal(["number"]);
            }
            else
            {
                shape.Concrete(path).Should().Equal([type], $"{path} is a {type} in v0.0.41");
            }
        }

        foreach (var (path, values) in Enums)
        {
            shape.Values.Should().ContainKey(path);
            shape.Values[path].Should().BeSubsetOf(values, $"{path} takes the schema's enum values");
        }

        Fields(shape, "jobs[].").Should().BeSubsetOf(RealJobFields);
        Fields(shape, "nodes[].").Should().BeSubsetOf(RealNodeFields);
        Fields(shape, "partitions[].").Should().BeSubsetOf(RealPartitionFields);
    }

    [Fact]
    public async Task StatesOfTheSeededCluster_CoverWhatPeopleAskAbout()
    {
        var nodes = JsonShape.Of(JsonNode.Parse(await _http.GetStringAsync("slurm/v0.0.41/nodes")));
        nodes.Values["nodes[].state[]"].Should().Contain(["IDLE", "MIXED", "ALLOCATED", "DOWN", "DRAIN", "NOT_RESPONDING"]);
        var jobs = JsonShape.Of(JsonNode.Parse(await _http.GetStringAsync("slurm/v0.0.41/jobs")));
        jobs.Values["jobs[].job_state[]"].Should().Contain(["PENDING", "RUNNING", "COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "CANCELLED"]);
        jobs.Values["jobs[].state_reason"].Should().Contain(["Resources", "Priority", "Dependency", "DependencyNeverSatisfied", "QOSMaxJobsPerUserLimit",
            "PartitionTimeLimit", "PartitionDown", "JobHeldUser", "BeginTime"]).And.Contain(r => r.StartsWith("ReqNodeNotAvail", StringComparison.Ordinal));
    }

    private static HashSet<string> Fields(JsonShape shape, string prefix) =>
        [.. shape.Paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..].Split('.', '[')[0])];
}
