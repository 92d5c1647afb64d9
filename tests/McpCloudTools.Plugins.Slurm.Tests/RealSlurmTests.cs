using System.Text.RegularExpressions;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using Microsoft.Extensions.DependencyInjection;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// The plugin against a real Slurm through an MCP client: each job ends where Slurm says and slurm_job_diagnose
/// names the cause. The TIMEOUT job needs Slurm's one-minute granularity, so it is the long one (about 65 s).
/// </summary>
[Collection(RealSlurmCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class RealSlurmTests(RealSlurm slurm) : IAsyncLifetime
{
    /// <summary>How long a job may take to reach a state: slurmctld schedules every few seconds, slower on a busy machine.</summary>
    private static readonly TimeSpan SlurmPatience = TimeSpan.FromSeconds(30);

    private const string Cluster = "slurm:" + RealSlurm.ClusterName;
    private McpHarness _mcp = null!;

    public async Task InitializeAsync()
    {
        _mcp = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>(), new SafetyOptions { AllowWrite = true });
        await _mcp.Instances.CreateAsync("slurm", "slurm-real", config: new Dictionary<string, string>
        {
            ["url"] = slurm.Url.ToString(), ["token_file"] = slurm.TokenFile, ["cluster_name"] = RealSlurm.ClusterName,
        });
    }

    public async Task DisposeAsync() => await _mcp.DisposeAsync();

    [Fact]
    public async Task JobThatSucceeds_EndsCompleted()
    {
        var id = await SubmitAsync(new { command = "echo hello; sleep 1", name = "ok", memory_mb = 100, time_minutes = 5 });
        var waited = await WaitAsync(id, 60);
        waited.Should().Contain("ended COMPLETED").And.Contain("exit 0");
        (await CallAsync("slurm_job_diagnose", new { job_id = id })).Should().Contain("completed successfully");
        (await CallAsync("slurm_job_describe", new { job_id = id })).Should().Contain("COMPLETED").And.Contain($"work dir: {slurm.WorkDir}")
            .And.Contain("stdout: ").And.Contain("1 node");
    }

    [Fact]
    public async Task JobFromAMultiLineScript_RunsEveryLine()
    {
        // Before the Slurm rules were declared, the call guard took script for one line of text and refused every real script.
        const string script = "#!/bin/bash\n#SBATCH --comment=multi-line\nset -e\nout=\"script-$SLURM_JOB_ID.txt\"\necho \"first line\" > \"$out\"\n" +
                              "\tfor i in 1 2; do echo \"loop $i\" >> \"$out\"; done\r\necho last >> \"$out\"\n";
        var id = await SubmitAsync(new { script, name = "script", memory_mb = 100, time_minutes = 5 });
        (await WaitAsync(id, 60)).Should().Contain("ended COMPLETED").And.Contain("exit 0");
        (await File.ReadAllTextAsync(Path.Combine(slurm.WorkDir, $"script-{id}.txt"))).Should().Be("first line\nloop 1\nloop 2\nlast\n");
    }

    [Fact]
    public async Task JobThatExitsThree_EndsFailed_AndDiagnosisNamesTheExitCode()
    {
        var id = await SubmitAsync(new { command = "echo failing >&2; exit 3", name = "exit3", memory_mb = 100 });
        (await WaitAsync(id, 60)).Should().Contain("ended FAILED").And.Contain("exit 3").And.Contain("NonZeroExitCode");
        var diagnosis = await CallAsync("slurm_job_diagnose", new { job_id = id });
        diagnosis.Should().Contain("cause: its script exited with code 3").And.Contain("stderr: " + slurm.WorkDir);
    }

    [Fact]
    public async Task JobOverItsMemory_IsKilled_AndDiagnosisSaysMemory()
    {
        // tail buffers a newline-free stream whole: 400 MB against a 100 MB limit.
        var id = await SubmitAsync(new { command = "head -c 400M /dev/zero | tail > /dev/null; sleep 5", name = "oom", memory_mb = 100 });
        var waited = await WaitAsync(id, 90);
        var diagnosis = await CallAsync("slurm_job_diagnose", new { job_id = id });
        if (slurm.CgroupMemory)
        {
            waited.Should().Contain("ended OUT_OF_MEMORY");
            diagnosis.Should().Contain("cause: killed for using more memory than it asked for (100M/node)");
        }
        else
        {
            // Without cgroups, job accounting's OverMemoryKill kills the step with SIGKILL and Slurm reports FAILED.
            waited.Should().Contain("ended FAILED").And.Contain("signal 9");
            diagnosis.Should().Contain("killed with SIGKILL").And.Contain("memory limit").And.Contain("100M/node");
        }
    }

    [Fact]
    public async Task JobOverItsTimeLimit_EndsTimeout_AndDiagnosisComparesRunTimeWithTheLimit()
    {
        var id = await SubmitAsync(new { command = "sleep 300", name = "toolong", partition = RealSlurm.ShortPartition, time_minutes = 1, memory_mb = 100 });
        (await WaitAsync(id, 150)).Should().Contain("ended TIMEOUT").And.Contain("TimeLimit");
        var diagnosis = await CallAsync("slurm_job_diagnose", new { job_id = id });
        diagnosis.Should().MatchRegex(@"cause: killed at its time limit: ran 1m\d\ds, limit 1m");
    }

    [Fact]
    public async Task JobAskingMoreTimeThanThePartitionAllows_PendsForever_AndDiagnosisSaysWhy()
    {
        var submitted = await CallAsync("slurm_job_submit", new { command = "true", name = "impossible", partition = RealSlurm.ShortPartition, time_minutes = 10, memory_mb = 100 });
        submitted.Should().Contain("warning: time 10m is above partition short's maximum 1m");
        var id = JobId(submitted);
        await Eventually.HoldsAsync(async () => (await CallAsync("slurm_job_describe", new { job_id = id })).Should().Contain("PENDING (PartitionTimeLimit)"), SlurmPatience, TimeSpan.FromMilliseconds(500));
        var diagnosis = await CallAsync("slurm_job_diagnose", new { job_id = id });
        diagnosis.Should().Contain("cause: will never start as submitted: its time limit 10m is above partition short's maximum 1m")
            .And.Contain("time ≤ 1m");
        (await CallAsync("slurm_job_list", new { state = "PENDING" })).Should().Contain("pending by reason:").And.Contain("PartitionTimeLimit");
        (await CallAsync("slurm_job_cancel", new { job_id = id })).Should().Contain("cancel sent");
        await Eventually.HoldsAsync(async () => (await CallAsync("slurm_job_describe", new { job_id = id })).Should().Contain("CANCELLED"), SlurmPatience, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task JobAfterAFailedDependency_NeverStarts_AndDiagnosisNamesTheFailedJob()
    {
        var failing = await SubmitAsync(new { command = "exit 1", name = "dep-fails", memory_mb = 100 });
        var after = await SubmitAsync(new { command = "true", name = "after-fail", dependency = $"afterok:{failing}", memory_mb = 100 });
        await WaitAsync(failing, 60);
        await Eventually.HoldsAsync(async () => (await CallAsync("slurm_job_describe", new { job_id = after })).Should().Contain("DependencyNeverSatisfied"), SlurmPatience, TimeSpan.FromMilliseconds(500));
        var diagnosis = await CallAsync("slurm_job_diagnose", new { job_id = after });
        diagnosis.Should().Contain($"cause: will never start: it depends on job {failing} (dep-fails), which ended FAILED")
            .And.Contain($"slurm_job_diagnose job_id={failing}");
        await CallAsync("slurm_job_cancel", new { job_id = after });
    }

    [Fact]
    public async Task NodesAndPartitions_ShowTheDownNodeWithItsReasonFirst()
    {
        var nodes = await CallAsync("slurm_node_list");
        nodes.Should().Contain($"nodes of {Cluster}: 2");
        var lines = nodes.Split('\n');
        lines[2].Should().StartWith(RealSlurm.GhostNode).And.Contain("down").And.Contain(RealSlurm.GhostReason).And.Contain("(root");
        var partitions = await CallAsync("slurm_partition_list");
        partitions.Should().Contain("debug*").And.Contain("short").And.Contain("down 1");
        var health = await CallAsync("plugins_list", new { check_health = true });
        health.Should().Contain("slurm-real").And.Contain("healthy");
        (await _mcp.Catalog.FindPlugin("slurm")!.HealthCheckAsync(_mcp.Context("slurm-real"), default))
            .Message.Should().Contain("UP").And.Contain("Slurm 22.05").And.Contain("API v0.0.38");
    }

    private async Task<string> SubmitAsync(object arguments)
    {
        var text = await CallAsync("slurm_job_submit", arguments);
        return JobId(text);
    }

    private static string JobId(string submitted) => SubmittedId().Match(submitted) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException("No job id in: " + submitted);

    private Task<string> WaitAsync(string id, int seconds) => CallAsync("slurm_job_wait", new { job_id = id, timeout_seconds = seconds });

    private async Task<string> CallAsync(string tool, object? arguments = null)
    {
        var args = new Dictionary<string, object?>(ToolArgs.From(arguments));
        if (tool.StartsWith("slurm_", StringComparison.Ordinal))
        {
            args["cluster_id"] = Cluster;
        }

        if (tool == "slurm_job_submit")
        {
            args.TryAdd("work_dir", slurm.WorkDir);
        }

        var result = await _mcp.CallAsync(tool, args);
        var text = result.Text();
        if (result.IsError == true)
        {
            throw new InvalidOperationException($"{tool} failed: {text}\n{slurm.Logs()}");
        }

        return text;
    }

    [GeneratedRegex(@"submitted job (\d+)")]
    private static partial Regex SubmittedId();
}
