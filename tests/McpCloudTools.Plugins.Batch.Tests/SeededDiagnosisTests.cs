namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>batch_job_diagnose on the seeded history: one job per known cause, failed or stuck.</summary>
public sealed class SeededDiagnosisTests(ReadOnlySandbox sandbox) : IClassFixture<ReadOnlySandbox>
{
    [Theory]
    [InlineData("default-queue", "genome-align-chr7", "cause: out of memory: the container exceeded its 8192 MiB limit and was killed (exit 137", "memory=16384")]
    [InlineData("default-queue", "render-frames-s3", "cause: the image could not be pulled, so the container never started: CannotPullContainerError", "render:v2-missing or its tag does not exist")]
    [InlineData("spot-queue", "monte-carlo-42", "its Spot instance i-", "retry_attempts=3")]
    [InlineData("default-queue", "etl-nightly-0501", "cause: the application exited with code 1; the log's last error: KeyError: 'customer_id'", "the log tail shows")]
    [InlineData("default-queue", "report-builder-q2", "cause: timed out: an attempt ran past its timeout of 300s", "raise timeout_seconds")]
    [InlineData("default-queue", "etl-load-0501", "cause: a job it depends on failed, so this one never ran", "a failed dependency is never retried")]
    [InlineData("gpu-queue", "hello-world-dup", "cause: cancelled before it started (CancelJob): Duplicate submission", "resubmit")]
    [InlineData("default-queue", "long-sim-old", "cause: terminated by a TerminateJob call: Stopped by operator", "resubmit")]
    [InlineData("default-queue", "align-shards", "cause: 1 of 4 children failed; child ", "memory=8192")]
    public async Task FailedJob_IsDiagnosedWithItsCauseAndFix(string queue, string name, string cause, string fix)
    {
        var id = await sandbox.JobIdAsync(queue, name);

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        text.Should().StartWith($"job {id} ({name}) FAILED in queue {queue}");
        text.Should().Contain(cause);
        text.Split('\n').Single(l => l.StartsWith("fix: ", StringComparison.Ordinal)).Should().Contain(fix);
        text.Should().Contain("evidence:");
    }

    [Theory]
    [InlineData("small-queue", "hello-world-waiting", "cause: waiting for capacity: small-ce at 4 of max 4 vCPUs", "raise maxvCpus")]
    [InlineData("small-queue", "variant-call-na12878", "cause: the job (2 vCPU, 8192 MiB) is too big for every compute environment of queue small-queue: small-ce: largest allowed type m5.large has 2 vCPU and about 7782 MiB usable", "up to 2 vCPU and 7782 MiB fit m5.large")]
    [InlineData("gpu-queue", "train-gpu-7b", "cause: no compute environment of queue gpu-queue can run jobs: gpu-ce is INVALID (CLIENT_ERROR - The security group", "gpu-ce's status reason")]
    [InlineData("legacy-queue", "legacy-report", "cause: no compute environment of queue legacy-queue can run jobs: legacy-ce is DISABLED", "--compute-environment legacy-ce --state ENABLED")]
    public async Task RunnableJob_IsDiagnosedWithWhyItDoesNotStart(string queue, string name, string cause, string fix)
    {
        var id = await sandbox.JobIdAsync(queue, name);

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        text.Should().StartWith($"job {id} ({name}) RUNNABLE in queue {queue}");
        text.Should().Contain(cause);
        text.Split('\n').Single(l => l.StartsWith("fix: ", StringComparison.Ordinal)).Should().Contain(fix);
        text.Should().MatchRegex(@"RUNNABLE for \d+[hm]");
    }

    [Fact]
    public async Task FailedJob_DiagnosisShowsTheLastLogLines()
    {
        var id = await sandbox.JobIdAsync("default-queue", "etl-nightly-0501");

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        text.Should().Contain("last log lines:\n  /aws/batch/job etl-nightly/default/").And.Contain("error lines 2").And.Contain("Traceback (most recent call last):");
    }

    [Fact]
    public async Task DependencyFailure_NamesTheFailedJobAndItsOwnCause()
    {
        var etl = await sandbox.JobIdAsync("default-queue", "etl-nightly-0501");
        var load = await sandbox.JobIdAsync("default-queue", "etl-load-0501");

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = load });

        text.Should().Contain($"{etl} (etl-nightly-0501): the application exited with code 1").And.Contain($"batch_job_diagnose job_id={etl}");
    }

    [Fact]
    public async Task PendingJob_IsWaitingForItsRunningDependency()
    {
        var id = await sandbox.JobIdAsync("default-queue", "postprocess-a");
        var dependency = await sandbox.JobIdAsync("default-queue", "long-sim-a");

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        text.Should().Contain($"cause: waiting for 1 of 1 dependencies to finish: {dependency} RUNNING");
    }

    [Fact]
    public async Task SucceededJob_AfterASpotReclaim_SaysOnWhichAttempt()
    {
        var id = await sandbox.JobIdAsync("spot-queue", "monte-carlo-43");

        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        text.Should().Contain("cause: succeeded (exit 0) after 15m00s on attempt 2 of 2; nothing to diagnose")
            .And.Contain("attempt 1: ").And.Contain("Host EC2 (instance i-");
    }

    [Fact]
    public async Task Describe_ShowsTimelineAttemptsAndLogStream_AndRedactsEnvironmentValues()
    {
        var id = await sandbox.JobIdAsync("default-queue", "genome-align-chr7");
        var etl = await sandbox.JobIdAsync("default-queue", "etl-nightly-0501");

        var text = await sandbox.CallAsync("batch_job_describe", new { job_id = id });
        var withEnvironment = await sandbox.CallAsync("batch_job_describe", new { job_id = etl });

        text.Should().MatchRegex(@"timeline: created \S+Z, started \S+Z \(after 6m52s\), stopped \S+Z \(ran 6m00s\)");
        text.Should().Contain("container: 123456789012.dkr.ecr.us-east-1.amazonaws.com/genomics/bwa:0.7.17, 4 vCPU, 8192 MiB");
        text.Should().Contain("attempts (2 of 2 allowed):\n  #1 ").And.Contain("exit 137; OutOfMemoryError");
        text.Should().MatchRegex(@"log stream: /aws/batch/job genome-align/default/[0-9a-f]{32} \(batch_job_logs\)");
        withEnvironment.Should().Contain("environment: STAGE=[redacted], DB_PASSWORD=[redacted]").And.NotContain("s3cr3t");
    }

    [Fact]
    public async Task Describe_ArrayParent_SummarisesItsChildren()
    {
        var id = await sandbox.JobIdAsync("default-queue", "frames-batch");

        var text = await sandbox.CallAsync("batch_job_describe", new { job_id = id });

        text.Should().Contain($"array: parent of 5 children: succeeded 5 (batch_job_list array_job_id={id})").And.NotContain("log stream");
    }

    [Fact]
    public async Task Logs_ReadTheLatestAttempt_WithTailAndSince()
    {
        var id = await sandbox.JobIdAsync("default-queue", "genome-align-chr7");

        var latest = await sandbox.CallAsync("batch_job_logs", new { job_id = id, tail = 3 });
        var recent = await sandbox.CallAsync("batch_job_logs", new { job_id = id, since = "2m" });

        latest.Split('\n')[0].Should().Be($"job {id} (genome-align-chr7) FAILED, latest of 2 attempts");
        latest.Split('\n').Should().HaveCount(5).And.Subject.Last().Should().Contain("resident memory 8.0 GiB");
        recent.Should().Contain(" since ").And.NotContain("starting genome-align-chr7").And.Contain("resident memory 8.0 GiB");
    }

    [Fact]
    public async Task Logs_OfAJobThatNeverRan_SayWhyThereAreNone()
    {
        var stuck = await sandbox.JobIdAsync("gpu-queue", "train-gpu-7b");
        var parent = await sandbox.JobIdAsync("default-queue", "frames-batch");

        var none = await sandbox.CallAsync("batch_job_logs", new { job_id = stuck });
        var array = await sandbox.FailAsync("batch_job_logs", new { job_id = parent });

        none.Should().Be($"job {stuck} (train-gpu-7b) RUNNABLE: no log stream yet; a stream exists once an attempt reaches RUNNING. batch_job_diagnose job_id={stuck} explains why it did not run.");
        array.Should().Contain("array job's parent").And.Contain($"job_id={parent}:<index>");
    }

    [Fact]
    public async Task AJobNameInsteadOfAnId_IsRefusedWithWhereToFindIds()
    {
        var error = await sandbox.FailAsync("batch_job_diagnose", new { job_id = "genome-align-chr7" });

        error.Should().Be("Invalid job_id 'genome-align-chr7': it is not a job id. A job id is a UUID (e.g. 0b5f4c58-2f7e-4a4e-9f6b-8d2a9c1e7a31), " +
                          "with :index for an array child. batch_job_list shows job ids (its name argument finds jobs by name); jobs are kept about 7 days after they end.");
    }
}
