using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>The tools through an MCP client against the sandbox's Slurm (its seeded cluster <c>slurm:hpc</c>).</summary>
public sealed class SandboxToolTests : IAsyncLifetime
{
    private SandboxHarness _h = null!;

    public async Task InitializeAsync() => _h = await SandboxHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>(), safety: new SafetyOptions { AllowWrite = true });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ClustersList_RegistersTheSandboxClusterAsSlurmHpc()
    {
        (await Text("clusters_list")).Should().Contain("slurm:hpc");
        await Text("cluster_activate", new { cluster_id = "slurm:hpc" });
        (await Text("slurm_partition_list")).Should().StartWith("partitions of slurm:hpc");
    }

    [Fact]
    public async Task PartitionList_PutsTheDownPartitionFirst_WithNodesByState()
    {
        var text = await Text("slurm_partition_list");
        var lines = text.Split('\n');
        lines[0].Should().Contain("partitions of slurm:hpc: 4; 1 cannot start jobs; nodes: idle 3, mixed 2, allocated 2, down 2, drained 1, draining 1");
        lines[2].Should().StartWith("highmem").And.Contain("DOWN").And.Contain("partition DOWN");
    }

    [Fact]
    public async Task NodeList_ShowsProblemsFirstWithTheAdminsReason()
    {
        var text = await Text("slurm_node_list", new { limit = 4 });
        var lines = text.Split('\n');
        lines[0].Should().Be("nodes of slurm:hpc: 11; idle 3, mixed 2, allocated 2, down 2, drained 1, draining 1");
        lines[2].Should().StartWith("cn05").And.Contain("down*").And.Contain("Not responding");
        lines[3].Should().StartWith("gpu02").And.Contain("GPU 3 fell off the bus (Xid 79) (root");
        lines[4].Should().StartWith("cn06").And.Contain("drained").And.Contain("bad DIMM");
        text.Should().Contain("4 of 11 shown; next page: cursor=");
        (await Text("slurm_node_list", new { state = "drained,draining" })).Should().Contain("cn06").And.Contain("cn07").And.NotContain("cn01 ");
    }

    [Fact]
    public async Task JobList_CountsByStateAndPendingReason_FailedFirst()
    {
        var text = await Text("slurm_job_list", new { limit = 100 });
        text.Should().Contain("pending by reason:").And.Contain("PartitionTimeLimit 1").And.Contain("QOSMaxJobsPerUserLimit 1")
            .And.Contain("pending jobs cannot start without a change");
        var rows = text.Split('\n').SkipWhile(l => !l.StartsWith("JOB ID", StringComparison.Ordinal)).Skip(1).ToList();
        rows[0].Should().MatchRegex("NODE_FAIL|BOOT_FAIL|OUT_OF_MEMORY|TIMEOUT|FAILED");
        rows.Should().Contain(r => r.Contains("align-sample") && r.Contains("4121_[3-4%2]"));
        (await Text("slurm_job_list", new { user = "bob", state = "FAILED" })).Should().Contain("train-resnet").And.NotContain("alice");
    }

    [Theory]
    [InlineData("4103", "killed for using more memory than it asked for (16G/node)")]
    [InlineData("4104", "killed at its time limit: ran 1h00m, limit 1h")]
    [InlineData("4105", "a node it ran on failed (cn05)")]
    [InlineData("4101", "its script exited with code 1")]
    [InlineData("4102", "exited with code 127")]
    [InlineData("4114", "will never start: it depends on job 4101 (train-resnet), which ended FAILED")]
    [InlineData("4115", "a node it needs is down, drained or reserved")]
    [InlineData("4116", "its time limit 2h is above partition debug's maximum 30m")]
    [InlineData("4117", "partition highmem is DOWN")]
    [InlineData("4118", "its user already runs the most jobs the QOS allows")]
    [InlineData("4113", "waiting for the jobs it depends on")]
    public async Task Diagnose_NamesTheCause(string jobId, string cause)
    {
        var text = await Text("slurm_job_diagnose", new { job_id = jobId });
        text.Should().Contain("cause: ").And.Contain(cause);
    }

    [Fact]
    public async Task Diagnose_ReqNodeNotAvail_ShowsTheDownNodeAndItsReason()
    {
        (await Text("slurm_job_diagnose", new { job_id = "4115" })).Should().Contain("node gpu02: down (GPU 3 fell off the bus (Xid 79), set by root)");
    }

    [Fact]
    public async Task Describe_ShowsTimelineResourcesPathsAndArrayTasks()
    {
        var text = await Text("slurm_job_describe", new { job_id = "4103" });
        text.Should().Contain("job 4103 (variant-calling) of carol: OUT_OF_MEMORY (OutOfMemory) in partition compute").And.Contain("started: ")
            .And.Contain("asks: 1 node, 1 task, 8 CPUs, 16G/node").And.Contain("stdout: /home/carol/slurm-4103.out").And.Contain("time limit: 10h");
        var array = await Text("slurm_job_describe", new { job_id = "4121" });
        array.Should().Contain("array 4121:").And.Contain("tasks: FAILED 1, PENDING 1, RUNNING 1, COMPLETED 1").And.Contain("still pending: 3-4%2");
        (await Text("slurm_job_describe", new { job_id = "4121_1" })).Should().Contain("job 4121_1 (align-sample)").And.Contain("FAILED");
    }

    [Fact]
    public async Task SubmitWaitAndDiagnose_FollowTheSandboxClock()
    {
        var submitted = await Text("slurm_job_submit", new { command = "sleep 3; exit 3", name = "sbx", partition = "debug", time_minutes = 5,
            environment = new Dictionary<string, string> { ["API_KEY"] = "s3cret-value" } });
        submitted.Should().Contain("submitted job 5000 (sbx) to slurm:hpc, partition debug").And.Contain("API_KEY=[redacted]").And.NotContain("s3cret");
        var waited = await Text("slurm_job_wait", new { job_id = "5000", timeout_seconds = 30 });
        waited.Should().Contain("ended FAILED").And.Contain("exit 3").And.Contain("PENDING → RUNNING → FAILED");
        (await Text("slurm_job_diagnose", new { job_id = "5000" })).Should().Contain("its script exited with code 3");
    }

    [Fact]
    public async Task MultiLineScript_IsSubmittedWhole_AndRunsAsWritten()
    {
        // A real batch script: several lines, #SBATCH directives, tabs, CRLF line endings from a Windows editor.
        var script = "#!/bin/bash\r\n#SBATCH --job-name=ignored\r\n\techo start\r\nsleep 2\r\nexit 4\r\n";
        var submitted = await Text("slurm_job_submit", new { script, name = "multi", time_minutes = 5 });
        submitted.Should().Contain("submitted job 5000 (multi) to slurm:hpc");
        (await Text("slurm_job_wait", new { job_id = "5000", timeout_seconds = 30 })).Should().Contain("ended FAILED").And.Contain("exit 4");
        var refused = await _h.CallAsync("slurm_job_submit", new { script = "echo no interpreter line\necho second" });
        refused.IsError.Should().BeTrue();
        refused.Text().Should().StartWith("Invalid script 'echo no interpreter line\\u000aecho second': it does not start with #! (Slurm refuses a script without an interpreter line).");
    }

    [Fact]
    public async Task Wait_ReportsEachStateChangeAsProgress()
    {
        await Text("slurm_job_submit", new { command = "sleep 2", name = "progress", time_minutes = 5 });
        var progress = new Progress();
        var result = await _h.Mcp.Client.CallToolAsync("slurm_job_wait", ToolArgs.From(new { job_id = "5000", timeout_seconds = 30 }), progress);
        result.Text().Should().Contain("ended COMPLETED").And.Contain("(PENDING → RUNNING → COMPLETED)");
        // The SDK drops a call's progress handler when its response arrives, so the last tick may be lost (notes/mcp-sdk.md §9):
        // the result is the completion signal; the ticks sent while the call was waiting all arrive, in order.
        await Eventually.HoldsAsync(() => progress.Messages.Take(2).Should().Equal("5000: PENDING", "PENDING → RUNNING"), TimeSpan.FromSeconds(10));
    }

    private sealed class Progress : IProgress<ModelContextProtocol.ProgressNotificationValue>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public void Report(ModelContextProtocol.ProgressNotificationValue value) => _messages.Enqueue(value.Message ?? "");
    }

    [Fact]
    public async Task Submit_WarnsWhenNoNodeOfThePartitionCanRunIt_AndSlurmRefuses()
    {
        var result = await _h.CallAsync("slurm_job_submit", new { command = "true", partition = "debug", tasks = 1, cpus_per_task = 64 });
        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("Requested node configuration is not available").And.Contain("no node of partition debug has 64 CPUs (largest: cn01, 32 CPUs, 128G)");
    }

    [Fact]
    public async Task Cancel_StopsARunningJob_AndRefusesNothingAlreadyEnded()
    {
        (await Text("slurm_job_cancel", new { job_id = "4107" })).Should().Contain("cancel sent for job 4107").And.Contain("it was RUNNING");
        (await Text("slurm_job_describe", new { job_id = "4107" })).Should().Contain("CANCELLED");
        (await Text("slurm_job_cancel", new { job_id = "4100" })).Should().Contain("already ended COMPLETED; nothing to cancel");
    }

    [Fact]
    public async Task PinnedToV0038_TheSameAnswersComeThroughTheOlderApi()
    {
        await _h.Mcp.Instances.CreateAsync("slurm", "slurm-old", config: new Dictionary<string, string> { ["api_version"] = "v0.0.38", ["cluster_name"] = "hpc38" });
        (await Text("clusters_list", new { refresh = true })).Should().Contain("slurm:hpc38");
        var old = await Text("slurm_job_diagnose", new { job_id = "4104", cluster_id = "slurm:hpc38" });
        var current = await Text("slurm_job_diagnose", new { job_id = "4104", cluster_id = "slurm:hpc" });
        old.Replace(" (default)", "", StringComparison.Ordinal).Should().Be(current.Replace("slurm:hpc", "slurm:hpc38", StringComparison.Ordinal)).And.Contain("killed at its time limit");
        (await Text("slurm_node_list", new { cluster_id = "slurm:hpc38", limit = 3 })).Should().Contain("cn05").And.Contain("down*");
        (await Text("slurm_partition_list", new { cluster_id = "slurm:hpc38" })).Should().Contain("compute*").And.Contain("* default partition");
        (await Text("slurm_job_describe", new { job_id = "4104", cluster_id = "slurm:hpc38" })).Should().Contain("exit: signal 15 (SIGTERM)");
    }

    [Theory]
    [InlineData("slurm_job_describe", "../4100", "Invalid job_id '../4100': it contains '.' at position 1. A Slurm job id is a number from 1 to 4294967295")]
    [InlineData("slurm_job_describe", "4100/../../nodes", "Invalid job_id '4100/../../nodes': it contains '/' at position 5. A Slurm job id is")]
    [InlineData("slurm_job_describe", "99999", "No job 99999 in slurm:hpc")]
    [InlineData("slurm_job_describe", "4294967296", "Invalid job_id '4294967296': 4294967296 is over 4294967295. A Slurm job id is")]
    [InlineData("slurm_job_wait", "0", "Invalid job_id '0': it is not a Slurm job id. A Slurm job id is")]
    [InlineData("slurm_job_cancel", "4100%2F..", "Invalid job_id '4100%2F..': it contains '%' at position 5. A Slurm job id is")]
    public async Task HostileJobIds_AreRefusedBeforeAnyUrlIsBuilt(string tool, string jobId, string message)
    {
        var result = await _h.CallAsync(tool, new { job_id = jobId });
        result.IsError.Should().BeTrue();
        result.Text().Should().Contain(message);
    }

    [Theory]
    [InlineData("slurm_node_list", "partition", "..", "Invalid partition '..': '..' is not a name (in a URL it means the parent folder). A partition name is letters")]
    [InlineData("slurm_job_list", "user", "alice/../root", "Invalid user 'alice/../root': it contains '/' at position 6. A user name is letters")]
    [InlineData("slurm_job_list", "state", "RUNNING,EVIL", "Invalid state 'RUNNING,EVIL': it is not a job state list. A job state list is one or more of PENDING, RUNNING")]
    [InlineData("slurm_node_list", "state", "drained;idle", "Invalid state 'drained;idle': it contains ';' at position 8. A node state list is one or more of idle, mixed")]
    [InlineData("slurm_job_submit", "array", "1-3;rm -rf /", "Invalid array '1-3;rm -rf /': it contains ';' at position 4. A job array spec is indexes such as 0-99")]
    [InlineData("slurm_job_submit", "dependency", "afterok:1 && reboot", "Invalid dependency 'afterok:1 && reboot': it contains ' ' (a space) at position 10. A dependency is type:jobid")]
    [InlineData("slurm_job_submit", "work_dir", "tmp/../etc", "Invalid work_dir 'tmp/../etc': it is not a work dir. A work dir is an absolute path on the cluster")]
    [InlineData("slurm_job_submit", "name", "two\nlines", "Invalid name 'two\\u000alines': it contains the control character U+000A at position 4. A job name is one line")]
    [InlineData("slurm_job_submit", "partition", "gpu,debug", "Invalid partition 'gpu,debug': it contains ',' at position 4. A partition name is")]
    public async Task HostileNamesAndFilters_AreRefusedWithTheValidForm(string tool, string argument, string value, string message)
    {
        var args = new Dictionary<string, object?> { [argument] = value };
        if (tool == "slurm_job_submit")
        {
            args["command"] = "true";
        }

        var result = await _h.CallAsync(tool, args);
        result.IsError.Should().BeTrue();
        result.Text().Should().Contain(message);
    }

    [Fact]
    public async Task Sizes_AreBounded()
    {
        var script = "#!/bin/bash\n" + new string('x', 300 * 1024);
        (await _h.CallAsync("slurm_job_submit", new { script })).Text().Should().Contain("Invalid script '#!/bin/bash").And.Contain("it is over 256 KiB (307,212 bytes of UTF-8)")
            .And.Contain("A batch script is text starting with an interpreter line such as #!/bin/bash, at most 256 KiB of UTF-8");
        (await _h.CallAsync("slurm_job_submit", new { command = "true\n" + new string('y', 9000) })).Text().Should().Contain("Invalid command")
            .And.Contain("A command is one line of text of at most 8,192 characters");
        (await _h.CallAsync("slurm_job_submit", new { command = "true", time_minutes = 10_000_000 })).Text().Should().Contain("time_minutes must be between 1 and");
        (await _h.CallAsync("slurm_job_wait", new { job_id = "4100", timeout_seconds = 99_999 })).Text().Should().Contain("timeout_seconds must be between 1 and 3600");
        var env = Enumerable.Range(0, 200).ToDictionary(i => $"V{i}", i => "x");
        (await _h.CallAsync("slurm_job_submit", new { command = "true", environment = env })).Text().Should().Contain("at most 128");
        (await _h.CallAsync("slurm_job_list", new { cluster_id = new string('c', 500) })).Text().Should().Contain("Invalid cluster_id")
            .And.Contain("it is 500 characters long, more than 256");
        (await _h.CallAsync("slurm_job_submit", new { command = "true", environment = new Dictionary<string, string> { ["BIG"] = new string('v', 40_000) } }))
            .Text().Should().Contain("Invalid environment.BIG").And.Contain("more than 32,768");
    }

    [Fact]
    public async Task JobTemplate_IsAdvertised_AndReadsAsSlurmJobDescribe()
    {
        const string template = "slurm://{instance}/clusters/{cluster_id}/jobs/{job_id}";
        var templates = await _h.Mcp.Client.ListResourceTemplatesAsync();
        var read = await _h.Mcp.Client.ReadResourceAsync("slurm://slurm/clusters/slurm:hpc/jobs/4103");
        var described = await Text("slurm_job_describe", new { job_id = "4103", cluster_id = "slurm:hpc" });
        var unknown = await Assert.ThrowsAnyAsync<ModelContextProtocol.McpException>(async () => await _h.Mcp.Client.ReadResourceAsync("slurm://slurm/clusters/slurm:hpc/jobs/4103;rm"));

        templates.Select(t => t.UriTemplate).Should().Contain(template);
        read.Contents.OfType<TextResourceContents>().Single().Text.Should().Be(described, "a templated read answers as the tool it names");
        described.Should().Contain("4103").And.Contain("OUT_OF_MEMORY");
        unknown.Message.Should().Contain("job_id");
    }

    [Fact]
    public async Task Completions_OfferLiveJobIdsAndTheCluster_ForTheTemplateAndThePrompt_PrefixFiltered()
    {
        var template = new ResourceTemplateReference { Uri = "slurm://{instance}/clusters/{cluster_id}/jobs/{job_id}" };
        var listing = await Text("slurm_job_list", new { limit = 500 });

        var all = await CompleteAsync(template, "job_id", "", new() { ["cluster_id"] = "slurm:hpc" });
        var some = await CompleteAsync(new PromptReference { Name = "slurm_job_troubleshoot" }, "job_id", "410");
        var clusters = await CompleteAsync(template, "cluster_id", "slurm:");
        var submitted = await Text("slurm_job_submit", new { command = "sleep 600", name = "completion-probe" });
        var newId = System.Text.RegularExpressions.Regex.Match(submitted, @"submitted job (\d+)").Groups[1].Value;
        var after = await CompleteAsync(template, "job_id", newId, new() { ["instance"] = "slurm" });

        all.Values.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(100).And.OnlyHaveUniqueItems().And.Contain(["4103", "4104"]);
        all.Values.Should().OnlyContain(v => listing.Contains(v.Split('_')[0], StringComparison.Ordinal), "the values are the jobs slurmctld knows");
        some.Values.Should().NotBeEmpty().And.OnlyContain(v => v.StartsWith("410", StringComparison.Ordinal)).And.Contain("4103");
        some.Total.Should().Be(some.Values.Count);
        clusters.Values.Should().Equal("slurm:hpc");
        after.Values.Should().StartWith(newId, "the values come from slurmctld's live job list");
    }

    private async Task<Completion> CompleteAsync(Reference reference, string argument, string value, Dictionary<string, string>? chosen = null) =>
        (await _h.Mcp.Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = reference,
            Argument = new Argument { Name = argument, Value = value },
            Context = chosen is null ? null : new CompleteContext { Arguments = chosen },
        })).Completion;

    private async Task<string> Text(string tool, object? args = null)
    {
        var result = await _h.CallAsync(tool, args);
        result.IsError.Should().NotBe(true, result.Text());
        return result.Text();
    }
}
