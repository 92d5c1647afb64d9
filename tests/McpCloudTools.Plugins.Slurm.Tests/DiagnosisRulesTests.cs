using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Plugins.Slurm.Model;
using McpCloudTools.Plugins.Slurm.Services;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>The diagnosis rules and the wire mapping, as pure logic.</summary>
public sealed class DiagnosisRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static SlurmJob Job(string state, string? reason = null) => new()
    {
        JobId = 7, Name = "sim", User = "alice", Partition = "compute", State = state, Reason = reason, Submitted = Now.AddHours(-2),
        TimeLimitMinutes = 60, Cpus = 8, NodeCount = 1, MemoryPerNodeMb = 4096,
    };

    private static Diagnosis Diagnose(SlurmJob job, SlurmPartition? partition = null, IReadOnlyList<SlurmNode>? nodes = null, IReadOnlyList<SlurmJob>? queue = null) =>
        JobDiagnosis.Diagnose(new DiagnosisInput(job, Now, partition, nodes ?? [], queue ?? []));

    [Fact]
    public void OutOfMemory_NamesTheMemoryAsked() =>
        Diagnose(Job("OUT_OF_MEMORY", "OutOfMemory") with { Started = Now.AddHours(-1), Ended = Now.AddMinutes(-50) })
            .Cause.Should().Be("killed for using more memory than it asked for (4G/node) after 10m00s");

    [Fact]
    public void Timeout_ComparesRunTimeWithTheLimit()
    {
        var d = Diagnose(Job("TIMEOUT", "TimeLimit") with { Started = Now.AddHours(-1), Ended = Now, Signal = 15 });
        d.Cause.Should().Be("killed at its time limit: ran 1h00m, limit 1h");
        d.Fix.Should().Contain("longer time limit");
    }

    [Theory]
    [InlineData(127, "a command was not found")]
    [InlineData(137, "usually out of memory")]
    [InlineData(3, "the program's own failure code")]
    public void NonZeroExit_ExplainsCommonCodes(int code, string meaning) =>
        Diagnose(Job("FAILED", "NonZeroExitCode") with { ExitCode = code, Started = Now.AddMinutes(-5), Ended = Now }).Cause.Should().Contain(meaning);

    [Fact]
    public void SigKillWithoutCgroups_PointsAtTheMemoryLimit() =>
        Diagnose(Job("FAILED", "JobLaunchFailure") with { Signal = 9, ExitCode = 0, Started = Now.AddMinutes(-1), Ended = Now })
            .Cause.Should().Contain("killed with SIGKILL").And.Contain("memory limit").And.Contain("asked 4G/node");

    [Fact]
    public void PartitionTimeLimit_SaysItWillNeverStartAndWhatFits()
    {
        var partition = new SlurmPartition { Name = "short", State = "UP", MaxTimeMinutes = 30, TotalNodes = 2, TotalCpus = 64 };
        var d = Diagnose(Job("PENDING", "PartitionTimeLimit") with { Partition = "short" }, partition);
        d.Cause.Should().Be("will never start as submitted: its time limit 1h is above partition short's maximum 30m");
        d.Fix.Should().StartWith("cancel and resubmit with time ≤ 30m");
    }

    [Fact]
    public void DependencyOnAFailedJob_NamesIt()
    {
        var failed = Job("FAILED", "NonZeroExitCode") with { JobId = 5, Name = "prep", ExitCode = 2 };
        var d = Diagnose(Job("PENDING", "DependencyNeverSatisfied") with { Dependency = "afterok:5(failed)" }, queue: [failed]);
        d.Cause.Should().Be("will never start: it depends on job 5 (prep), which ended FAILED");
        d.Evidence.Should().Contain("job 5 (prep): FAILED, exit 2");
    }

    [Fact]
    public void Resources_WithEveryNodeDown_SaysNoNodeIsUsable()
    {
        SlurmNode Node(string name, string state, params string[] flags) => new() { Name = name, State = state, Flags = flags, Cpus = 32, Partitions = ["compute"] };
        var d = Diagnose(Job("PENDING", "Resources"), nodes: [Node("cn1", "DOWN", "NOT_RESPONDING"), Node("cn2", "IDLE", "DRAIN")]);
        d.Cause.Should().Contain("no node of partition compute is usable");
    }

    [Fact]
    public void UnknownReason_IsReportedAsSlurmSaysIt() =>
        Diagnose(Job("PENDING", "SomeFutureReason")).Cause.Should().Contain("SomeFutureReason");

    [Fact]
    public void V0038WaitStatus_SplitsExitCodeAndSignal()
    {
        WireMapping.Job(new Job38 { JobId = 1, JobState = "FAILED", ExitCode = 768 }).ExitCode.Should().Be(3);
        var killed = WireMapping.Job(new Job38 { JobId = 1, JobState = "TIMEOUT", ExitCode = 15 });
        (killed.ExitCode, killed.Signal).Should().Be((0, 15));
        WireMapping.Job(new Job38 { JobId = 1, JobState = "PENDING", TimeLimit = 0xFFFFFFFF }).TimeLimitMinutes.Should().BeNull();
    }

    [Fact]
    public void V0041NoValueStructs_MapUnsetAndInfiniteToNull()
    {
        var job = WireMapping.Job(new Job41
        {
            JobId = 1, JobState = ["RUNNING", "COMPLETING"], TimeLimit = new WireNoVal { Infinite = true }, MemoryPerNode = new WireNoVal { Set = false },
            ExitCode = new ExitCode41 { ReturnCode = WireNoVal.Of(3), Signal = new Signal41 { Id = new WireNoVal() } },
        });
        (job.State, job.StateFlags[0], job.TimeLimitMinutes, job.MemoryPerNodeMb, job.ExitCode, job.Signal).Should().Be(("RUNNING", "COMPLETING", (long?)null, (long?)null, (int?)3, (int?)null));
    }

    [Theory]
    [InlineData("cn[01-03],gpu1", new[] { "cn01", "cn02", "cn03", "gpu1" })]
    [InlineData("a[1,3-4]b", new[] { "a1b", "a3b", "a4b" })]
    public void Hostlists_Expand(string expression, string[] names) => Hostlist.Expand(expression, 100).Should().BeEquivalentTo(names);

    [Fact]
    public void Hostlists_AreBounded() => Hostlist.Expand("n[1-99999999]", 256).Should().HaveCount(256);
}
