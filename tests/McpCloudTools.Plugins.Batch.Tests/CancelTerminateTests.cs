namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>batch_job_cancel and batch_job_terminate in every state, with answers that say what happened.</summary>
public sealed class CancelTerminateTests(FrozenWriteSandbox sandbox) : IClassFixture<FrozenWriteSandbox>
{
    private async Task<string> JobInAsync(string status, int? retries = null)
    {
        var name = $"{status.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        var id = await sandbox.SubmitAsync(new { name, definition = "hello-world", queue = "default-queue", retry_attempts = retries });
        var seconds = status switch { "SUBMITTED" => 0, "RUNNABLE" => 5, "STARTING" => 20, "RUNNING" => 30, _ => throw new ArgumentException(status) };
        sandbox.Advance(TimeSpan.FromSeconds(seconds));
        (await sandbox.CallAsync("batch_job_describe", new { job_id = id })).Should().Contain($") {status} in queue");
        return id;
    }

    [Theory]
    [InlineData("SUBMITTED")]
    [InlineData("RUNNABLE")]
    public async Task Cancel_AJobThatHasNotStarted_FailsItWithTheReason(string status)
    {
        var id = await JobInAsync(status);

        var text = await sandbox.CallAsync("batch_job_cancel", new { job_id = id });
        var describe = await sandbox.CallAsync("batch_job_describe", new { job_id = id });

        text.Should().Contain($"cancel requested for job {id}").And.Contain($"which was {status}: the job will not run and ends FAILED")
            .And.Contain("now: FAILED (Cancelled with batch_job_cancel (McpCloudTools))");
        describe.Should().Contain("status reason: Cancelled with batch_job_cancel (McpCloudTools)").And.Contain("stopped by: CancelJob");
    }

    [Fact]
    public async Task Cancel_APendingJob_WaitsForItsDependencies_ThenFailsIt()
    {
        var upstream = await sandbox.SubmitAsync(new { name = "upstream", definition = "long-sim", queue = "default-queue" });
        var pending = await sandbox.SubmitAsync(new { name = "downstream", definition = "hello-world", queue = "default-queue", depends_on = new[] { upstream } });
        sandbox.Advance(TimeSpan.FromSeconds(5));

        var text = await sandbox.CallAsync("batch_job_cancel", new { job_id = pending });
        await sandbox.CallAsync("batch_job_terminate", new { job_id = upstream });
        var after = await sandbox.CallAsync("batch_job_describe", new { job_id = pending });

        text.Should().Contain("which was PENDING: a PENDING job is cancelled once the jobs it depends on have finished")
            .And.Contain("now: still PENDING (Batch applies it asynchronously");
        after.Should().Contain("FAILED").And.Contain("status reason: Cancelled with batch_job_cancel (McpCloudTools)");
    }

    [Theory]
    [InlineData("STARTING")]
    [InlineData("RUNNING")]
    public async Task Cancel_AStartedJob_IsRefused_AndPointsToTerminate(string status)
    {
        var id = await JobInAsync(status);

        var error = await sandbox.FailAsync("batch_job_cancel", new { job_id = id });

        error.Should().Be($"Job {id} is {status}: CancelJob only stops jobs that have not started (SUBMITTED, PENDING, RUNNABLE); AWS would accept the " +
                          "call and do nothing, so nothing was changed. To stop a started job use batch_job_terminate (it ends FAILED).");
        (await sandbox.CallAsync("batch_job_describe", new { job_id = id })).Should().Contain($") {status} in queue");
    }

    [Fact]
    public async Task Terminate_ARunningJob_KillsItWithoutRetry()
    {
        var id = await JobInAsync("RUNNING", retries: 3);

        var text = await sandbox.CallAsync("batch_job_terminate", new { job_id = id });
        sandbox.Advance(TimeSpan.FromMinutes(5));
        var describe = await sandbox.CallAsync("batch_job_describe", new { job_id = id });

        text.Should().Contain("which was RUNNING: its container is stopped (SIGTERM, then SIGKILL) and the job ends FAILED; it is not retried")
            .And.Contain("now: FAILED (Terminated with batch_job_terminate (McpCloudTools))");
        describe.Should().Contain("stopped by: TerminateJob").And.Contain("attempts (1 of 3 allowed)").And.Contain("exit 143");
    }

    [Theory]
    [InlineData("SUBMITTED")]
    [InlineData("RUNNABLE")]
    [InlineData("STARTING")]
    public async Task Terminate_AJobBeforeItRuns_CancelsIt(string status)
    {
        var id = await JobInAsync(status);

        var text = await sandbox.CallAsync("batch_job_terminate", new { job_id = id });

        text.Should().Contain($"which was {status}: ").And.Contain("now: FAILED");
        if (status != "STARTING")
        {
            text.Should().Contain("it had not started, so terminating cancels it (same as batch_job_cancel)");
        }
    }

    [Fact]
    public async Task Terminate_AnArrayParent_StopsEveryChild()
    {
        var id = await sandbox.SubmitAsync(new { name = "array-stop", definition = "hello-world", queue = "default-queue", array_size = 4 });
        sandbox.Advance(TimeSpan.FromSeconds(30));

        var text = await sandbox.CallAsync("batch_job_terminate", new { job_id = id });

        text.Should().Contain("which was PENDING: every child is stopped").And.Contain("now: FAILED (Terminated with batch_job_terminate (McpCloudTools))")
            .And.Contain("array: parent of 4 children: failed 4");
    }

    [Fact]
    public async Task CancelOrTerminate_AFinishedJob_IsRefused()
    {
        var id = await JobInAsync("RUNNING");
        sandbox.Advance(TimeSpan.FromMinutes(1));

        var cancel = await sandbox.FailAsync("batch_job_cancel", new { job_id = id });
        var terminate = await sandbox.FailAsync("batch_job_terminate", new { job_id = id });

        cancel.Should().StartWith($"Job {id} already ended SUCCEEDED at ").And.EndWith("; there is nothing to cancel. Nothing was changed.");
        terminate.Should().EndWith("; there is nothing to terminate. Nothing was changed.");
    }

    [Fact]
    public async Task Cancel_AnUnknownJob_SaysIdsAreUuids()
    {
        var error = await sandbox.FailAsync("batch_job_cancel", new { job_id = "00000000-0000-0000-0000-000000000000" });

        error.Should().StartWith("No job '00000000-0000-0000-0000-000000000000' in us-east-1");
    }
}
