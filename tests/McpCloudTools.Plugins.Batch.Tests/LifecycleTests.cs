using System.Collections.Concurrent;
using McpCloudTools.Testing;
using ModelContextProtocol;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>Jobs submitted through the tools, moved along by stepping the sandbox clock: wait with progress, logs, arrays, dependencies, diagnosis.</summary>
public sealed class LifecycleTests(FrozenWriteSandbox sandbox) : IClassFixture<FrozenWriteSandbox>
{
    [Fact]
    public async Task SubmittedJob_IsWaitedForWithProgressOnEachStatusChange_ThenItsLogsRead()
    {
        var id = await sandbox.SubmitAsync(new { name = "hello-progress", definition = "hello-world", queue = "default-queue", command = new[] { "echo", "hi" } });
        var progress = new Collector();

        var wait = sandbox.Harness.Mcp.Client.CallToolAsync("batch_job_wait", ToolArgs.From(new { job_id = id, timeout_seconds = 60 }), progress).AsTask();
        await progress.WaitForAsync(1);
        foreach (var (seconds, count) in new[] { (2, 2), (16, 3), (10, 4) })
        {
            sandbox.Advance(TimeSpan.FromSeconds(seconds));
            await progress.WaitForAsync(count);
        }

        sandbox.Advance(TimeSpan.FromSeconds(30));
        var result = (await wait).Text();
        var logs = await sandbox.CallAsync("batch_job_logs", new { job_id = id });

        progress.Messages.Take(4).Should().Equal($"{id}: SUBMITTED", "SUBMITTED → RUNNABLE", "RUNNABLE → STARTING", "STARTING → RUNNING");
        progress.Values.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        result.Should().StartWith($"job {id} (hello-progress) ended SUCCEEDED, ran 30s; waited ")
            .And.Contain("(SUBMITTED → RUNNABLE → STARTING → RUNNING → SUCCEEDED); exit 0");
        logs.Should().Contain("INFO starting hello-progress (attempt 1)").And.EndWith("INFO done");
        var lines = logs.Split('\n');
        Array.FindIndex(lines, l => l.EndsWith(" hi", StringComparison.Ordinal)).Should()
            .BeInRange(0, Array.FindIndex(lines, l => l.Contains("INFO starting hello-progress", StringComparison.Ordinal)) - 1,
                "what `echo hi` prints comes first, before the behaviour's lines");
    }

    [Fact]
    public async Task Wait_OnAStuckJob_EndsAtItsTimeout_AndHonoursCancellation()
    {
        var id = await sandbox.SubmitAsync(new { name = "stuck-wait", definition = "hello-world", queue = "gpu-queue" });
        sandbox.Advance(TimeSpan.FromSeconds(5));

        var timedOut = await sandbox.CallAsync("batch_job_wait", new { job_id = id, timeout_seconds = 1 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        var cancelled = async () => await sandbox.Harness.Mcp.Client.CallToolAsync("batch_job_wait", ToolArgs.From(new { job_id = id }), cancellationToken: cancel.Token);

        timedOut.Should().Be($"job {id} (stuck-wait) is still RUNNABLE after waiting 1s. Call batch_job_wait again to keep waiting, or batch_job_diagnose job_id={id} if it looks stuck.");
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        (await sandbox.CallAsync("batch_job_describe", new { job_id = id })).Should().Contain("RUNNABLE");
    }

    [Theory]
    [InlineData("etl-nightly", null, "cause: the application exited with code 1; the log's last error: KeyError: 'customer_id'")]
    [InlineData("genome-align", 1, "cause: out of memory: the container exceeded its 8192 MiB limit")]
    [InlineData("render-frames", null, "cause: the image could not be pulled")]
    [InlineData("monte-carlo", null, "(the queue runs on Spot); the job itself did nothing wrong; no retries were allowed")]
    [InlineData("report-builder", null, "cause: timed out: an attempt ran past its timeout of 300s")]
    public async Task SubmittedJob_ThatFails_IsDiagnosedWithTheRightCause(string definition, int? retries, string cause)
    {
        var id = await sandbox.SubmitAsync(new { name = $"fail-{definition}", definition, queue = "spot-queue", retry_attempts = retries });
        sandbox.Advance(TimeSpan.FromMinutes(15));

        var wait = await sandbox.CallAsync("batch_job_wait", new { job_id = id, timeout_seconds = 5 });
        var text = await sandbox.CallAsync("batch_job_diagnose", new { job_id = id });

        wait.Should().Contain("ended FAILED").And.Contain($"batch_job_diagnose job_id={id}");
        text.Should().Contain(cause);
    }

    [Fact]
    public async Task DependentJob_OfAFailedJob_FailsAndIsDiagnosedWithTheDependency()
    {
        var etl = await sandbox.SubmitAsync(new { name = "dep-etl", definition = "etl-nightly", queue = "default-queue" });
        var load = await sandbox.SubmitAsync(new { name = "dep-load", definition = "hello-world", queue = "default-queue", depends_on = new[] { etl } });
        sandbox.Advance(TimeSpan.FromSeconds(5));
        var pending = await sandbox.CallAsync("batch_job_diagnose", new { job_id = load });
        sandbox.Advance(TimeSpan.FromMinutes(3));

        var failed = await sandbox.CallAsync("batch_job_diagnose", new { job_id = load });

        pending.Should().Contain($"cause: waiting for 1 of 1 dependencies to finish: {etl} RUNNABLE");
        failed.Should().Contain($"cause: a job it depends on failed, so this one never ran: {etl} (dep-etl): the application exited with code 1");
    }

    [Fact]
    public async Task ArrayJob_ChildrenAreListed_AndTheParentFollowsThem()
    {
        var id = await sandbox.SubmitAsync(new { name = "array-3", definition = "hello-world", queue = "default-queue", array_size = 3 });
        sandbox.Advance(TimeSpan.FromSeconds(30));
        var running = await sandbox.CallAsync("batch_job_list", new { array_job_id = id });
        var parentRunning = await sandbox.CallAsync("batch_job_describe", new { job_id = id });
        sandbox.Advance(TimeSpan.FromSeconds(60));

        var done = await sandbox.CallAsync("batch_job_list", new { array_job_id = id });
        var parent = await sandbox.CallAsync("batch_job_describe", new { job_id = id });

        running.Should().StartWith($"array job {id}: 3 children (all statuses); running 3");
        parentRunning.Should().Contain($"job {id} (array-3) PENDING").And.Contain("array: parent of 3 children: running 3");
        done.Should().StartWith($"array job {id}: 3 children (all statuses); succeeded 3");
        done.Should().Contain($"{id}:0").And.Contain($"{id}:1").And.Contain($"{id}:2").And.Contain(" #2 ");
        parent.Should().Contain($"job {id} (array-3) SUCCEEDED").And.Contain("array: parent of 3 children: succeeded 3");
    }

    [Fact]
    public async Task ArrayJobs_WithNToNAndSequentialDependencies_RunChildByChild()
    {
        var first = await sandbox.SubmitAsync(new { name = "n2n-a", definition = "hello-world", queue = "default-queue", array_size = 2 });
        var second = await sandbox.SubmitAsync(new { name = "n2n-b", definition = "hello-world", queue = "default-queue", array_size = 2, depends_on = new[] { $"{first}=N_TO_N" } });
        var sequential = await sandbox.SubmitAsync(new { name = "seq", definition = "hello-world", queue = "default-queue", array_size = 3, depends_on = new[] { "SEQUENTIAL" } });
        sandbox.Advance(TimeSpan.FromSeconds(70));

        var seqMid = await sandbox.CallAsync("batch_job_list", new { array_job_id = sequential });
        var secondMid = await sandbox.CallAsync("batch_job_describe", new { job_id = $"{second}:1" });
        sandbox.Advance(TimeSpan.FromSeconds(200));
        var seqDone = await sandbox.CallAsync("batch_job_list", new { array_job_id = sequential });
        var secondDone = await sandbox.CallAsync("batch_job_describe", new { job_id = second });

        seqMid.Should().MatchRegex(@"succeeded 1").And.MatchRegex($@"{sequential}:2 +seq +PENDING");
        secondMid.Should().Contain($"depends on: {first}:1 SUCCEEDED");
        seqDone.Should().StartWith($"array job {sequential}: 3 children (all statuses); succeeded 3");
        secondDone.Should().Contain("SUCCEEDED").And.Contain($"depends on: {first} [N_TO_N] SUCCEEDED");
    }

    [Fact]
    public async Task Submit_ToAQueueThatCannotRunIt_WarnsAtOnce()
    {
        var text = await sandbox.CallAsync("batch_job_submit", new { name = "gpu-now", definition = "train-gpu", queue = "gpu-queue" });
        var tooBig = await sandbox.CallAsync("batch_job_submit", new { name = "too-big", definition = "hello-world", queue = "small-queue", memory = 8192 });

        text.Should().MatchRegex("^submitted job [0-9a-f-]{36} \\(gpu-now\\) to queue gpu-queue, definition train-gpu\n");
        text.Should().Contain("warning: no compute environment of queue gpu-queue can run jobs: gpu-ce is INVALID").And.Contain("will wait in RUNNABLE");
        tooBig.Should().Contain("warning: the job (8192 MiB) is too big for every compute environment of queue small-queue");
    }

    [Fact]
    public async Task Submit_WithoutQueue_UsesTheActiveClustersQueue()
    {
        await sandbox.CallAsync("cluster_activate", new { cluster_id = "batch:ondemand-ce" });

        var text = await sandbox.CallAsync("batch_job_submit", new { name = "default-q", definition = "hello-world:1" });

        text.Should().MatchRegex(@"^submitted job \S+ \(default-q\) to queue default-queue \(default queue of batch:ondemand-ce\), definition hello-world:1");
        text.Should().Contain("follow it: batch_job_wait job_id=");
    }

    [Theory]
    [InlineData("bad name", "hello-world", null, "Invalid name 'bad name': it contains ' ' (a space) at position 4. A job name is letters, digits, '-' and '_'")]
    [InlineData("ok", "hello-world", "n2n", "Invalid depends_on[0] 'x=N_TO_N': it is not a dependency. A dependency is a job id (a UUID")]
    [InlineData("ok", "nope", null, "AWS said: Job definition nope does not exist")]
    [InlineData("ok", "hello-world", "timeout", "timeout_seconds must be at least 60 seconds per attempt (Batch's minimum is 60) (got 10)")]
    public async Task Submit_WithInvalidArguments_SaysWhatIsWrong(string name, string definition, string? variant, string message)
    {
        object args = variant switch
        {
            "n2n" => new { name, definition, queue = "default-queue", depends_on = new[] { "x=N_TO_N" } },
            "timeout" => new { name, definition, queue = "default-queue", timeout_seconds = 10 },
            _ => new { name, definition, queue = "default-queue" },
        };

        var error = await sandbox.FailAsync("batch_job_submit", args);

        error.Should().Contain(message);
    }

    /// <summary>Records progress notifications as they arrive and lets a test wait for the n-th.</summary>
    private sealed class Collector : IProgress<ProgressNotificationValue>
    {
        private readonly ConcurrentQueue<ProgressNotificationValue> _values = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public IReadOnlyList<string?> Messages => [.. _values.Select(v => v.Message)];

        public IReadOnlyList<float> Values => [.. _values.Select(v => v.Progress)];

        public void Report(ProgressNotificationValue value)
        {
            _values.Enqueue(value);
            _arrived.Release();
        }

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (_values.Count < count)
            {
                await _arrived.WaitAsync(timeout.Token);
            }
        }
    }
}

/// <summary>Commands and logs of jobs pass the shared redaction step: credentials in URLs never reach the model.</summary>
public sealed class JobRedactionTests(FrozenWriteSandbox sandbox) : IClassFixture<FrozenWriteSandbox>
{
    [Fact]
    public async Task CredentialsInAJobCommand_AreRedacted_InTheDescriptionAndTheLog()
    {
        var id = await sandbox.SubmitAsync(new
        {
            name = "load-warehouse", definition = "hello-world", queue = "default-queue",
            // The command prints itself (the sandbox runs echo), so the credentials reach the log as well as the description.
            command = new[] { "echo", "psql", "postgres://etl:Qz7-canary-pw@warehouse.internal:5432/dw", "--password", "canary-flag-pw", "-c", "select 1" },
        });
        sandbox.Advance(TimeSpan.FromMinutes(2));

        var describe = await sandbox.CallAsync("batch_job_describe", new { job_id = id });
        var logs = await sandbox.CallAsync("batch_job_logs", new { job_id = id });

        foreach (var text in new[] { describe, logs })
        {
            text.Should().NotContain("Qz7-canary-pw").And.NotContain("canary-flag-pw");
            text.Should().Contain("postgres://etl:[redacted]@warehouse.internal:5432/dw", "scheme, user and host stay readable");
        }
    }
}
