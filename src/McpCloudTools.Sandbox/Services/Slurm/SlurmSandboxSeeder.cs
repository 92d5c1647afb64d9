namespace McpCloudTools.Sandbox.Services.Slurm;

/// <summary>
/// The default cluster <c>hpc</c>: partitions (one DOWN), nodes in every state (idle, mixed, allocated, down,
/// drained, draining, with reasons) and a queue with the common pending reasons and failures.
/// </summary>
internal static class SlurmSandboxSeeder
{
    public static (List<SlurmSandboxPartition> Partitions, List<SlurmSandboxNode> Nodes, List<SlurmSandboxJob> Jobs) Seed(DateTimeOffset now)
    {
        string[] cn = ["cn01", "cn02", "cn03", "cn04", "cn05", "cn06", "cn07", "cn08"];
        var partitions = new List<SlurmSandboxPartition>
        {
            new("compute", "UP", cn, 1440, IsDefault: true),
            new("debug", "UP", ["cn01", "cn02"], 30, false, MaxNodesPerJob: 2),
            new("gpu", "UP", ["gpu01", "gpu02"], 2880, false),
            new("highmem", "DOWN", ["hm01"], 4320, false),
        };
        string[] computeDebug = ["compute", "debug"];
        string[] compute = ["compute"];
        var nodes = new List<SlurmSandboxNode>
        {
            new("cn01", "IDLE", [], null, null, null, 32, 0, 131_072, 0, ["intel", "avx512"], computeDebug, 2),
            new("cn02", "MIXED", [], null, null, null, 32, 16, 131_072, 65_536, ["intel", "avx512"], computeDebug, 1610),
            new("cn03", "ALLOCATED", [], null, null, null, 32, 32, 131_072, 122_880, ["intel", "avx512"], compute, 3190),
            new("cn04", "ALLOCATED", [], null, null, null, 32, 32, 131_072, 98_304, ["intel", "avx512"], compute, 3205),
            new("cn05", "DOWN", ["NOT_RESPONDING"], "Not responding", "slurm", now.AddHours(-3), 32, 0, 131_072, 0, ["intel", "avx512"], compute, 0),
            new("cn06", "IDLE", ["DRAIN"], "bad DIMM in slot B2, ticket HPC-4411", "root", now.AddDays(-2), 32, 0, 131_072, 0, ["intel", "avx512"], compute, 0),
            new("cn07", "MIXED", ["DRAIN"], "kernel update after running jobs", "admin", now.AddMinutes(-40), 32, 8, 131_072, 32_768, ["intel", "avx512"], compute, 790),
            new("cn08", "IDLE", [], null, null, null, 32, 0, 131_072, 0, ["intel", "avx512"], compute, 5),
            new("gpu01", "MIXED", [], null, null, null, 64, 32, 524_288, 262_144, ["a100", "nvlink"], ["gpu"], 2980),
            new("gpu02", "DOWN", [], "GPU 3 fell off the bus (Xid 79)", "root", now.AddHours(-9), 64, 0, 524_288, 0, ["a100", "nvlink"], ["gpu"], 0),
            new("hm01", "IDLE", [], null, null, null, 64, 0, 2_097_152, 0, ["highmem"], ["highmem"], 0),
        };

        long id = 4100;
        SlurmSandboxJob Job(string name, string partition, TimeSpan ago, string user = "alice", string? nodeList = null) => new()
        {
            JobId = id++, Name = name, Partition = partition, Submitted = now - ago, User = user, TimeLimitMinutes = 240, WorkDir = $"/home/{user}",
            Cpus = 16, Tasks = 16, MemoryPerNodeMb = 32_768, NodeList = nodeList,
        };

        var jobs = new List<SlurmSandboxJob>();
        // Ended: every common outcome.
        var ok = Job("assemble-genome", "compute", TimeSpan.FromHours(5), nodeList: "cn03");
        (ok.Start, ok.End, ok.FinalState) = (now.AddHours(-4.9), now.AddHours(-3), "COMPLETED");
        var exit1Nodes = "gpu01";
        var exit1 = Job("train-resnet", "gpu", TimeSpan.FromHours(3), "bob", exit1Nodes);
        (exit1.Start, exit1.End, exit1.FinalState, exit1.FinalReason, exit1.ExitCode) = (now.AddHours(-2.9), now.AddHours(-2.8), "FAILED", "NonZeroExitCode", 1);
        var missing = Job("postprocess", "compute", TimeSpan.FromHours(2), "bob", "cn01");
        (missing.Start, missing.End, missing.FinalState, missing.FinalReason, missing.ExitCode) = (now.AddHours(-1.99), now.AddHours(-1.98), "FAILED", "NonZeroExitCode", 127);
        var oom = new SlurmSandboxJob
        {
            JobId = id++, Name = "variant-calling", Partition = "compute", Submitted = now.AddHours(-2), User = "carol", TimeLimitMinutes = 600,
            Cpus = 8, Tasks = 1, MemoryPerNodeMb = 16_384, WorkDir = "/home/carol", Start = now.AddHours(-1.9), End = now.AddHours(-1.5),
            FinalState = "OUT_OF_MEMORY", FinalReason = "OutOfMemory", ExitCode = 0, Signal = 125, NodeList = "cn02",
        };
        var timeout = new SlurmSandboxJob
        {
            JobId = id++, Name = "cfd-mesh", Partition = "compute", Submitted = now.AddHours(-3), User = "dave", TimeLimitMinutes = 60,
            Cpus = 32, Tasks = 32, MemoryPerNodeMb = 65_536, WorkDir = "/scratch/dave", Start = now.AddHours(-2.5), End = now.AddHours(-1.5),
            FinalState = "TIMEOUT", FinalReason = "TimeLimit", Signal = 15, NodeList = "cn04",
        };
        var nodeFail = new SlurmSandboxJob
        {
            JobId = id++, Name = "md-sim", Partition = "compute", Submitted = now.AddHours(-4), User = "carol", TimeLimitMinutes = 720,
            Cpus = 32, Tasks = 32, MemoryPerNodeMb = 65_536, WorkDir = "/home/carol", Start = now.AddHours(-3.9), End = now.AddHours(-3),
            FinalState = "NODE_FAIL", FinalReason = "NodeDown", NodeList = "cn05",
        };
        var cancelled = Job("param-sweep", "compute", TimeSpan.FromHours(1), nodeList: "cn08");
        (cancelled.Start, cancelled.CancelledAt) = (now.AddMinutes(-50), now.AddMinutes(-45));
        jobs.AddRange([ok, exit1, missing, oom, timeout, nodeFail, cancelled]);

        // Running.
        foreach (var (name, node, user) in new[] { ("wrf-forecast", "cn03", "erin"), ("blast-batch", "cn04", "alice"), ("lammps-run", "cn02", "frank"), ("llm-finetune", "gpu01", "bob") })
        {
            var r = Job(name, node.StartsWith("gpu", StringComparison.Ordinal) ? "gpu" : "compute", TimeSpan.FromHours(1.5), user, node);
            (r.Start, r.End) = (now.AddHours(-1), now.AddHours(2));
            jobs.Add(r);
        }

        // Pending: every common reason.
        var resources = Job("big-mpi", "compute", TimeSpan.FromMinutes(30), "erin");
        resources.PendingReason = "Resources";
        var priority = Job("analysis", "compute", TimeSpan.FromMinutes(20), "frank");
        priority.PendingReason = "Priority";
        var wrf = jobs.First(j => j.Name == "wrf-forecast");
        var dependsOnRunning = new SlurmSandboxJob
        {
            JobId = id++, Name = "merge-results", Partition = "compute", Submitted = now.AddMinutes(-15), User = "erin", TimeLimitMinutes = 60,
            Dependency = $"afterok:{wrf.JobId}(unfulfilled)", PendingReason = "Dependency", WorkDir = "/home/erin",
        };
        var dependsOnFailed = new SlurmSandboxJob
        {
            JobId = id++, Name = "evaluate-model", Partition = "gpu", Submitted = now.AddHours(-2.95), User = "bob", TimeLimitMinutes = 120,
            Dependency = $"afterok:{exit1.JobId}(failed)", PendingReason = "DependencyNeverSatisfied", WorkDir = "/home/bob",
        };
        var reqNode = new SlurmSandboxJob
        {
            JobId = id++, Name = "gpu-burn-test", Partition = "gpu", Submitted = now.AddHours(-1), User = "root", TimeLimitMinutes = 30,
            RequiredNodes = "gpu02", PendingReason = "ReqNodeNotAvail, UnavailableNodes:gpu02", WorkDir = "/root", Cpus = 64, Tasks = 1,
        };
        var tooLong = new SlurmSandboxJob
        {
            JobId = id++, Name = "quick-check", Partition = "debug", Submitted = now.AddMinutes(-25), User = "dave", TimeLimitMinutes = 120,
            PendingReason = "PartitionTimeLimit", WorkDir = "/scratch/dave",
        };
        var partitionDown = new SlurmSandboxJob
        {
            JobId = id++, Name = "assembly-large", Partition = "highmem", Submitted = now.AddHours(-6), User = "carol", TimeLimitMinutes = 2880,
            MemoryPerNodeMb = 1_572_864, PendingReason = "PartitionDown", WorkDir = "/home/carol",
        };
        var qos = Job("blast-shard-9", "compute", TimeSpan.FromMinutes(10));
        qos.PendingReason = "QOSMaxJobsPerUserLimit";
        var held = Job("held-run", "compute", TimeSpan.FromDays(1), "frank");
        held.PendingReason = "JobHeldUser";
        var begin = Job("nightly-report", "compute", TimeSpan.FromMinutes(5), "erin");
        begin.PendingReason = "BeginTime";
        jobs.AddRange([resources, priority, dependsOnRunning, dependsOnFailed, reqNode, tooLong, partitionDown, qos, held, begin]);

        // An array job (align-sample_[0-4]): tasks done, failed and running have records of their own; the pending rest share the array's id.
        var arrayId = id++;
        for (var task = 0; task < 4; task++)
        {
            var t = new SlurmSandboxJob
            {
                JobId = task == 3 ? arrayId : id++, Name = "align-sample", Partition = "compute", Submitted = now.AddMinutes(-40), User = "alice",
                TimeLimitMinutes = 60, ArrayJobId = arrayId, ArrayTaskId = task == 3 ? null : task, ArrayTaskString = task == 3 ? "3-4%2" : null,
                Cpus = 4, Tasks = 1, MemoryPerNodeMb = 8_192, WorkDir = "/home/alice/align", NodeList = task == 3 ? null : "cn02",
            };
            switch (task)
            {
                case 0: (t.Start, t.End) = (now.AddMinutes(-35), now.AddMinutes(-20)); break;
                case 1: (t.Start, t.End, t.FinalState, t.FinalReason, t.ExitCode) = (now.AddMinutes(-35), now.AddMinutes(-30), "FAILED", "NonZeroExitCode", 2); break;
                case 2: (t.Start, t.End) = (now.AddMinutes(-10), now.AddMinutes(30)); break;
                default: t.PendingReason = "JobArrayTaskLimit"; break;
            }

            jobs.Add(t);
        }

        return (partitions, nodes, jobs);
    }
}
