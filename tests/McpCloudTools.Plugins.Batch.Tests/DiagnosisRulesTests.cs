using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>Pure diagnosis rules for the causes the seeded account does not show: exit codes, JVM heap, pull and start errors.</summary>
public sealed class DiagnosisRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static JobDetail Failed(int? exit = null, string? reason = null, string statusReason = "Essential container in task exited", int memory = 2048,
        string command = "python run.py") => new()
    {
        JobId = "j-1", JobName = "job", Status = "FAILED", StatusReason = statusReason, JobQueue = "q",
        Container = new ContainerDetail
        {
            ExitCode = exit, Reason = reason, Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1", Command = [.. command.Split(' ')],
            ResourceRequirements = [new() { Type = "VCPU", Value = "1" }, new() { Type = "MEMORY", Value = memory.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
        },
        Attempts = [new AttemptDetail { StatusReason = statusReason, Container = new AttemptContainerDetail { ExitCode = exit, Reason = reason } }],
    };

    private static Diagnosis Diagnose(JobDetail job, string? log = null, IReadOnlyList<ComputeEnvironmentDetail>? environments = null) =>
        JobDiagnosis.Diagnose(new DiagnosisInput(job, Now, null, environments ?? [], [], null, log));

    [Theory]
    [InlineData(127, "the command was not found in the image (exit 127)", "check the command (python run.py)")]
    [InlineData(126, "the command exists but is not executable (exit 126)", "chmod +x")]
    [InlineData(139, "segmentation fault (exit 139, SIGSEGV)", "native crash")]
    [InlineData(143, "stopped with SIGTERM (exit 143)", "add retries")]
    [InlineData(137, "killed with SIGKILL (exit 137) without an out-of-memory reason", "raise memory")]
    [InlineData(2, "the application exited with code 2", "the log tail shows")]
    public void ExitCodes_AreExplained(int exit, string cause, string fix)
    {
        var d = Diagnose(Failed(exit));

        d.Cause.Should().Contain(cause);
        d.Fix.Should().Contain(fix);
    }

    [Fact]
    public void Exit137_WithKilledInTheLog_IsOutOfMemory()
    {
        var d = Diagnose(Failed(137, memory: 1024), "/aws/batch/job s: 2 events\n12:00:00 loading\n12:00:05 Killed");

        d.Cause.Should().StartWith("out of memory: killed with SIGKILL (exit 137) and its log mentions memory exhaustion; limit 1024 MiB");
        d.Fix.Should().Contain("memory=2048");
    }

    [Fact]
    public void JavaHeapSpace_WithExit1_IsTheJvmHeapNotTheContainer()
    {
        var d = Diagnose(Failed(1), "/aws/batch/job s: 1 events\n12:00:00 Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");

        d.Cause.Should().StartWith("the JVM ran out of heap");
        d.Fix.Should().Contain("-Xmx").And.Contain("2048 MiB");
    }

    [Theory]
    [InlineData("CannotPullContainerError: pull access denied for app, repository does not exist or may require 'docker login'", "or its tag does not exist")]
    [InlineData("CannotPullContainerError: AccessDeniedException: User is not authorized to perform ecr:BatchGetImage", "ecr:BatchGetImage")]
    [InlineData("CannotPullContainerError: Error response from daemon: Get https://123.dkr.ecr/v2/: net/http: request canceled (Client.Timeout exceeded); i/o timeout", "NAT gateway")]
    public void PullErrors_AreToldApartByTheirMessage(string reason, string fix)
    {
        var d = Diagnose(Failed(reason: reason, statusReason: "Task failed to start"));

        d.Cause.Should().StartWith("the image could not be pulled");
        d.Fix.Should().Contain(fix);
    }

    [Fact]
    public void ResourceInitializationError_PointsAtTheExecutionRoleAndNetwork()
    {
        var d = Diagnose(Failed(reason: "ResourceInitializationError: unable to pull secrets or registry auth", statusReason: "Task failed to start"));

        d.Cause.Should().StartWith("the container could not start: ResourceInitializationError");
        d.Fix.Should().Contain("execution role");
    }

    [Fact]
    public void HostTerminated_OnAnOnDemandEnvironment_IsAnInstanceTermination()
    {
        var job = Failed(statusReason: "Host EC2 (instance i-0123456789abcdef0) terminated.");
        var ondemand = new ComputeEnvironmentDetail { ComputeEnvironmentName = "ce", ComputeResources = new ComputeResource { Type = "EC2" } };

        var d = Diagnose(job, environments: [ondemand]);

        d.Cause.Should().StartWith("the instance i-0123456789abcdef0 running it was terminated (scale-in, Spot reclaim or a manual stop)");
    }

    [Fact]
    public void Submitted_Starting_AndRunningJobs_GetAStatusNotAFailure()
    {
        var started = Now.AddMinutes(-12).ToUnixTimeMilliseconds();
        var starting = new JobDetail { JobId = "s", JobName = "s", Status = "STARTING", CreatedAt = started, JobQueue = "q" };
        var running = new JobDetail
        {
            JobId = "r", JobName = "r", Status = "RUNNING", StartedAt = started, JobQueue = "q", Timeout = new JobTimeout { AttemptDurationSeconds = 900 },
        };

        Diagnose(starting).Cause.Should().Contain("container has been starting for 12m00s");
        var d = Diagnose(running, "/aws/batch/job s: 1 events\n11:59:00 ERROR connection refused");
        d.Cause.Should().Be("not failed: RUNNING for 12m00s; its log shows errors (latest: ERROR connection refused)");
        d.Evidence.Should().Contain("timeout 900s per attempt; 3m00s left");
    }
}
