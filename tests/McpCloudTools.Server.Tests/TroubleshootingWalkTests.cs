using TroubleshootingWalk;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The troubleshooting-walk sample, end to end: it starts the built server with <c>--sandbox</c> over stdio, as an
/// agent's client would, and must find what the default scenario breaks.
/// </summary>
public sealed class TroubleshootingWalkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Walk_FindsTheCrashLoopingPod_TheOutOfMemoryBatchJob_AndTheTimingOutFunction()
    {
        // The sandbox's clock at 10x: a job that is about to fail when the sandbox starts (render-frames-v2) has
        // failed by the time the walk reads the queue, on a fast machine as on a slow one. The findings must not
        // depend on which.
        var (result, output, error) = await WalkAsync("--server", ServerProcess.Dll, "--", "--clock-speed", "10");

        result.ExitCode.Should().Be(WalkCommand.Success, because: error);
        var report = result.Report!;

        report.Cluster.Id.Should().Be("eks:staging", "it has the most unhealthy pods of the three clusters");
        report.Cluster.Unhealthy.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(report.Cluster.Pods);
        report.Pod.Namespace.Should().Be("web");
        report.Pod.Name.Should().StartWith("api-");
        report.Pod.Status.Should().Be("CrashLoopBackOff");
        report.Pod.LastState.Should().Contain("Error exit 1");
        report.Pod.LogCause.Should().Be("panic: config: missing required setting PAYMENTS_ENDPOINT", "the previous container's log says why it crashed");

        report.UnusableQueues.Should().BeEquivalentTo("gpu-queue (no usable compute environment)", "legacy-queue (no usable compute environment)");
        report.FailedJob.Name.Should().StartWith("genome-align", "out of memory cost the most run time, whatever else fails while the walk runs");
        report.FailedJob.JobId.Should().MatchRegex("^[0-9a-f-]{36}$");
        report.FailedJob.Cause.Should().StartWith("out of memory").And.Contain("exit 137");
        report.FailedJob.Fix.Should().Contain("memory=16384");

        report.Functions.Should().ContainSingle(f => f.Function == "image-resizer").Which.Problem.Should().Be("Failed (ImageAccessDenied)");
        report.Functions.Should().ContainSingle(f => f.Function == "thumbnail-worker").Which.Evidence.Should().Be("Task timed out after 3.00 seconds");
        report.Instances.Should().ContainSingle(i => i.Name == "api-3").Which.Checks.Should().StartWith("instance check IMPAIRED");
        report.Instances.Should().ContainSingle(i => i.Name == "worker-2").Which.Event.Should().StartWith("system-reboot in");

        // The transcript: every call with its arguments and size, and the total the agent read.
        output.Should().Contain("""[7] eks_pod_logs {"cluster_id":"eks:staging","namespace":"web","pod":""")
            .And.Contain("\"previous\":true")
            .And.Contain("batch_job_diagnose {\"job_id\":\"" + report.FailedJob.JobId + "\"}");
        var total = output.Split('\n').Single(l => l.StartsWith("total: ", StringComparison.Ordinal));
        total.Should().MatchRegex(@"^total: \d+ answers, [\d,]+ bytes read \(plus tools/list once: \d+ tools, [\d,]+ bytes\)");
        error.Should().BeEmpty();
    }

    [Fact]
    public async Task Walk_OnAnEmptyAccount_StopsAtTheFirstStep_WithExitCode1AndTheReason()
    {
        var (result, _, error) = await WalkAsync("--server", ServerProcess.Dll, "--", "--scenario", "empty");

        result.ExitCode.Should().Be(WalkCommand.StepFailed);
        result.Report.Should().BeNull();
        error.Should().StartWith("troubleshooting walk failed at clusters_list: the answer lists no EKS cluster");
    }

    [Fact]
    public async Task Walk_WithAServerPathThatDoesNotExist_IsAUsageError()
    {
        var (result, _, error) = await WalkAsync("--server", "/nonexistent/mcp-cloud-tools.dll");

        result.ExitCode.Should().Be(WalkCommand.UsageError);
        error.Should().Contain("--server /nonexistent/mcp-cloud-tools.dll: no such file.");
    }

    [Fact]
    public void CompactRows_ReadColumnsByTheHeader_WithMultiWordHeaders_SpacesInTheLastColumn_AndNamespaceHeadings()
    {
        const string answer = """
            queue q: 2 jobs
            JOB ID                               NAME  EXIT REASON
            858b4850-828b-342e-a13d-58123aee3779 short -    Job attempt duration exceeded timeout
            2d3a1d49-b9cb-5ddd-9683-d44e3bb22e32 oom   137  OutOfMemoryError: Container killed
            ns web:
            JOB ID                               NAME  EXIT REASON
            0cd62e11-776c-5588-d1ec-536b0fc2c3dd etl   1    -
            2 of 3 shown; next page: cursor=abc
            """;

        var rows = CompactRows.Read(answer, "JOB ID");

        rows.Select(r => (r.Group, r["JOB ID"], r["NAME"], r["EXIT"], r["REASON"])).Should().Equal(
            (null, "858b4850-828b-342e-a13d-58123aee3779", "short", "", "Job attempt duration exceeded timeout"),
            (null, "2d3a1d49-b9cb-5ddd-9683-d44e3bb22e32", "oom", "137", "OutOfMemoryError: Container killed"),
            ("web", "0cd62e11-776c-5588-d1ec-536b0fc2c3dd", "etl", "1", ""));
    }

    private static async Task<(WalkResult Result, string Output, string Error)> WalkAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(Patience);
        var result = await WalkCommand.RunAsync(args, output, error, timeout.Token);
        return (result, output.ToString(), error.ToString());
    }
}
