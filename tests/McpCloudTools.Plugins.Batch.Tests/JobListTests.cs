namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>batch_job_list: every status by default (unlike ListJobs), the active cluster's queue, filters, paging, array children.</summary>
public sealed class JobListTests(ReadOnlySandbox sandbox) : IClassFixture<ReadOnlySandbox>
{
    [Fact]
    public async Task JobList_WithoutStatus_ListsEveryStatus_CountsFirst_FailuresFirst()
    {
        var text = await sandbox.CallAsync("batch_job_list", new { queue = "default-queue", limit = 500 });
        var rows = text.Split('\n');

        rows[0].Should().StartWith("queue default-queue: 31 jobs (all statuses); failed 1").And.Contain("pending 1").And.Contain("running 1").And.Contain("succeeded 16");
        rows[1].Should().StartWith("JOB ID").And.Contain("STATUS").And.Contain("EXIT").And.Contain("REASON");
        var statuses = rows.Skip(2).Select(r => r.Contains(" FAILED ", StringComparison.Ordinal)).ToList();
        statuses.IndexOf(false).Should().Be(statuses.LastIndexOf(true) + 1, "failed jobs come first");
        text.Should().MatchRegex(@"genome-align-chr7 +FAILED .* 137 +OutOfMemoryError: Container killed due to memory usage");
        text.Should().MatchRegex(@"render-frames-s3 +FAILED .*CannotPullContainerError: manifest for …/render:v2-missing not found");
        text.Should().MatchRegex(@"frames-batch +SUCCEEDED +parent of 5");
        text.Should().MatchRegex(@"align-shards +FAILED +parent of 4, 1 failed");
        text.Should().Contain("postprocess-a").And.Contain("long-sim-a");
    }

    [Fact]
    public async Task JobList_WithoutQueue_CoversTheActiveComputeEnvironmentsQueues_AsClusterActivateSays()
    {
        var activatedSpot = await sandbox.CallAsync("cluster_activate", new { cluster_id = "batch:spot-ce" });
        var spot = await sandbox.CallAsync("batch_job_list");
        var activatedSmall = await sandbox.CallAsync("cluster_activate", new { cluster_id = "batch:small-ce" });
        var small = await sandbox.CallAsync("batch_job_list", new { status = "RUNNING" });
        var named = await sandbox.CallAsync("batch_job_list", new { queue = "gpu-queue" });

        activatedSpot.Should().Be("Active cluster: batch:spot-ce (batch, us-east-1). Batch tools take no cluster_id; with it active, batch_job_list " +
            "without queue covers its queues (default-queue, spot-queue) and batch_job_submit without queue submits to default-queue. Job ids, named " +
            "queues and the environment, queue and definition lists are not limited to it.");
        activatedSmall.Should().Contain("covers its queues (small-queue)").And.Contain("submits to small-queue").And.NotContain("cluster_id.");
        spot.Should().StartWith("2 job queues of the active cluster batch:spot-ce (no queue given): 40 jobs; ");
        spot.Split('\n').Skip(2).Take(2).Select(r => r.Split(' ')[0]).Should().Equal("default-queue", "spot-queue");
        spot.Should().Contain("jobs in trouble: 15 (failed, then stuck)").And.NotContain("gpu-queue").And.NotContain("small-queue");
        small.Should().StartWith("1 job queue of the active cluster batch:small-ce (no queue given): 4 jobs; runnable 2, running 2; 0 failed, 2 stuck");
        small.Should().Contain("jobs with status RUNNING: 2").And.Contain("long-sim-s1").And.NotContain("long-sim-a");
        named.Should().StartWith("queue gpu-queue: 3 jobs (all statuses)", "a named queue is listed whatever the active cluster");
    }

    [Fact]
    public async Task JobList_FiltersByStatusListAndNamePrefix()
    {
        var stuck = await sandbox.CallAsync("batch_job_list", new { queue = "small-queue", status = "runnable" });
        var named = await sandbox.CallAsync("batch_job_list", new { queue = "default-queue", name = "hello-world-*" });

        stuck.Should().StartWith("queue small-queue: 2 jobs (status RUNNABLE); runnable 2");
        stuck.Should().Contain("hello-world-waiting").And.Contain("variant-call-na12878").And.NotContain("long-sim");
        named.Should().StartWith("queue default-queue: ").And.Contain("(name 'hello-world-*')");
        named.Split('\n').Skip(2).Should().OnlyContain(r => r.Contains(" hello-world-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JobList_UnknownStatus_ListsTheValidOnes()
    {
        var error = await sandbox.FailAsync("batch_job_list", new { queue = "default-queue", status = "DONE" });

        error.Should().Be("Unknown job status 'DONE'. Valid: SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED, FAILED (comma-separate several); omit status for all.");
    }

    [Fact]
    public async Task JobList_PagesWithACursorBoundToItsFilters()
    {
        var first = await sandbox.CallAsync("batch_job_list", new { queue = "default-queue", status = "SUCCEEDED", limit = 10 });
        var cursor = first.Split("cursor=")[1].Trim();
        var second = await sandbox.CallAsync("batch_job_list", new { queue = "default-queue", status = "SUCCEEDED", limit = 10, cursor });
        var misused = await sandbox.FailAsync("batch_job_list", new { queue = "default-queue", status = "FAILED", limit = 10, cursor });

        first.Should().Contain("10 of 16 shown; next page: cursor=");
        second.Should().Contain("6 shown; end of list (16 in all)");
        var firstIds = BatchSandbox.JobId().Matches(first).Select(m => m.Value);
        BatchSandbox.JobId().Matches(second).Select(m => m.Value).Should().NotIntersectWith(firstIds);
        misused.Should().Contain("belongs to another listing");
    }

    [Fact]
    public async Task JobList_ArrayJobId_ListsTheChildrenWithTheirIndex_FailedFirst()
    {
        var parent = await sandbox.JobIdAsync("default-queue", "align-shards");

        var text = await sandbox.CallAsync("batch_job_list", new { array_job_id = parent });
        var rows = text.Split('\n');

        rows[0].Should().Be($"array job {parent}: 4 children (all statuses); failed 1, succeeded 3");
        rows[2].Should().MatchRegex($@"^{parent}:2 +align-shards +FAILED +#2 .* 137 +OutOfMemoryError");
        rows.Skip(3).Should().HaveCount(3).And.OnlyContain(r => r.Contains("SUCCEEDED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JobList_UnknownQueue_ExplainsAndPointsToTheQueueList()
    {
        var error = await sandbox.FailAsync("batch_job_list", new { queue = "nope" });

        error.Should().Contain("Job queue nope does not exist");
    }
}
