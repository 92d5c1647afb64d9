using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>Compute environments, queues, definitions, clusters, resources, health: the account as the seeded scenario has it.</summary>
public sealed class AccountToolTests(ReadOnlySandbox sandbox) : IClassFixture<ReadOnlySandbox>
{
    [Fact]
    public async Task ComputeEnvironmentList_PutsInvalidThenDisabledFirst_WithTheInvalidReason()
    {
        var text = await sandbox.CallAsync("batch_compute_environment_list");
        var rows = text.Split('\n');

        rows[0].Should().Be("5 compute environments in us-east-1: INVALID 1, DISABLED 1, VALID 3");
        rows[1].Should().StartWith("NAME").And.Contain("VCPUS MIN/DESIRED/MAX").And.Contain("ALLOCATION");
        rows[2].Should().StartWith("gpu-ce").And.Contain("INVALID").And.Contain("security group 'sg-0b5e3f7a91c2d4e68' does not exist");
        rows[3].Should().StartWith("legacy-ce").And.Contain("DISABLED").And.NotContain("Healthy");
        text.Should().MatchRegex(@"small-ce +ENABLED +VALID +EC2 +0/4/4 +m5\.large +BEST_FIT");
        text.Should().Contain("SPOT(bid 60%)");
    }

    [Fact]
    public async Task JobQueueList_PutsQueuesThatCannotRunJobsFirst_NamingTheBrokenEnvironment()
    {
        var text = await sandbox.CallAsync("batch_job_queue_list");
        var rows = text.Split('\n');

        rows[0].Should().Be("5 job queues in us-east-1; 2 cannot run jobs");
        rows[2].Should().MatchRegex(@"^gpu-queue +ENABLED +VALID +20 +gpu-ce\(INVALID\) +no usable compute environment");
        rows[3].Should().MatchRegex(@"^legacy-queue .*legacy-ce\(DISABLED\) +no usable compute environment");
        text.Should().MatchRegex(@"default-queue +ENABLED +VALID +10 +ondemand-ce,spot-ce");
    }

    [Fact]
    public async Task JobDefinitionList_ShowsTheLatestRevisionOfEach_AndAllRevisionsOfANamedOne()
    {
        var all = await sandbox.CallAsync("batch_job_definition_list");
        var named = await sandbox.CallAsync("batch_job_definition_list", new { name = "hello-world" });

        all.Should().StartWith("10 active job definitions (11 revisions); latest revision shown");
        all.Should().MatchRegex(@"hello-world:2 +2 +public\.ecr\.aws/amazonlinux/amazonlinux:2023 +1 +2048");
        all.Should().MatchRegex(@"genome-align:1 .* 4 +8192 +2 ");
        all.Should().MatchRegex(@"report-builder:1 .* 5m00s");
        all.Should().NotContain("hello-world:1");
        named.Split('\n').Should().HaveCount(4).And.Subject.First().Should().Be("2 active revisions of hello-world");
        named.Should().Contain("hello-world:2").And.Contain("hello-world:1");
    }

    [Fact]
    public async Task JobList_WithoutQueueOrActiveCluster_CountsEveryQueue_TroubleFirst_ThenTheFailedAndStuckJobs()
    {
        var text = await sandbox.CallAsync("batch_job_list");
        var rows = text.Split('\n');

        rows[0].Should().MatchRegex(@"^5 job queues in us-east-1 \(no queue given\): 48 jobs; failed 16, runnable [45], .*starting 1, running 4, succeeded 21; 16 failed, 4 stuck \(RUNNABLE over 10m\)$");
        rows[1].Should().MatchRegex("^QUEUE +STATE +JOBS +FAILED +STUCK +COUNTS +PROBLEM");
        rows.Skip(2).Take(5).Select(r => r.Split(' ')[0]).Should().Equal(["default-queue", "spot-queue", "gpu-queue", "small-queue", "legacy-queue"],
            "queues with the most failed or stuck jobs come first");
        rows[2].Should().MatchRegex(@"^default-queue +ENABLED/VALID +31 +12 +0 +failed 12, pending 1, starting 1, running 1, succeeded 16");
        rows[4].Should().MatchRegex(@"^gpu-queue +ENABLED/VALID +3 +1 +1 +failed 1, runnable [12][a-z0-9, ]* +no usable compute environment");
        rows[5].Should().MatchRegex(@"^small-queue +ENABLED/VALID +4 +0 +2 +runnable 2, running 2");
        rows[7].Should().StartWith("jobs in trouble: 20 (failed, then stuck); batch_job_diagnose job_id=<id> tells why");
        var jobs = rows.Skip(9).ToList();
        jobs.Should().HaveCount(20);
        jobs.Take(16).Should().OnlyContain(r => r.Contains(" FAILED ", StringComparison.Ordinal));
        jobs.Skip(16).Should().OnlyContain(r => r.Contains(" RUNNABLE ", StringComparison.Ordinal));
        text.Should().MatchRegex(@"genome-align-chr7 +default-queue +FAILED .* 137 +OutOfMemoryError");
        text.Should().MatchRegex(@"hello-world-waiting +small-queue +RUNNABLE +4\dm .*stuck: waiting for capacity");
        text.Should().MatchRegex(@"train-gpu-7b +gpu-queue +RUNNABLE .*stuck: no usable compute environment");
        text.Should().NotContain("train-gpu-retry", "a job RUNNABLE for less than 10 minutes is not stuck").And.NotMatchRegex("long-sim-a +default-queue");
    }

    [Fact]
    public async Task JobList_WithoutQueue_PagesTheTroubledJobs_AndFiltersAcrossQueues()
    {
        var first = await sandbox.CallAsync("batch_job_list", new { limit = 15 });
        var cursor = first.Split("cursor=")[1].Trim();
        var second = await sandbox.CallAsync("batch_job_list", new { limit = 15, cursor });
        var running = await sandbox.CallAsync("batch_job_list", new { status = "RUNNING" });

        first.Should().EndWith($"15 of 20 shown; next page: cursor={cursor}");
        second.Should().Contain("5 shown; end of list (20 in all)");
        BatchSandbox.JobId().Matches(second).Select(m => m.Value).Should().HaveCount(5)
            .And.NotIntersectWith(BatchSandbox.JobId().Matches(first).Select(m => m.Value));
        running.Split('\n')[7].Should().Be("jobs with status RUNNING: 4, problems first");
        running.Should().MatchRegex(@"long-sim-b +spot-queue +RUNNING").And.MatchRegex(@"long-sim-a +default-queue +RUNNING")
            .And.MatchRegex(@"long-sim-s1 +small-queue +RUNNING");
        running.Split('\n').Skip(9).Should().HaveCount(4).And.OnlyContain(r => r.Contains(" RUNNING ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clusters_AreTheComputeEnvironments_WithTheirQueuesEnabledAndHighestPriorityFirst()
    {
        await sandbox.CallAsync("clusters_list");
        var clusters = sandbox.Harness.Mcp.Clusters.All.Where(c => c.PluginType == "batch").ToDictionary(c => c.Id);

        clusters.Keys.Should().BeEquivalentTo(["batch:ondemand-ce", "batch:spot-ce", "batch:gpu-ce", "batch:legacy-ce", "batch:small-ce"]);
        clusters["batch:spot-ce"].Get("queues").Should().Be("default-queue,spot-queue");
        clusters["batch:spot-ce"].Get("arn").Should().Be("arn:aws:batch:us-east-1:123456789012:compute-environment/spot-ce");
        clusters["batch:small-ce"].Region.Should().Be("us-east-1");
        clusters["batch:small-ce"].Source.Should().Be(ClusterSource.Discovered);
    }

    [Fact]
    public async Task Resources_ListQueuesAndComputeEnvironments_AndReadAQueueWithItsCapacity()
    {
        var client = sandbox.Harness.Mcp.Client;
        var resources = await client.ListResourcesAsync();
        var queue = await client.ReadResourceAsync("batch://batch/job-queues/gpu-queue");
        var ce = await client.ReadResourceAsync("batch://batch/compute-environments/small-ce");

        resources.Select(r => r.Uri).Should().Contain(["batch://batch/job-queues/default-queue", "batch://batch/compute-environments/gpu-ce"]);
        var queueText = string.Join("\n", queue.Contents.OfType<TextResourceContents>().Select(c => c.Text));
        queueText.Should().StartWith("job queue gpu-queue: ENABLED/VALID, priority 20").And.Contain("capacity: no compute environment of queue gpu-queue can run jobs");
        string.Join("\n", ce.Contents.OfType<TextResourceContents>().Select(c => c.Text)).Should().Contain("vcpus: min 0, desired 4, max 4");
    }

    [Fact]
    public async Task HealthAndStatus_ReachBatch_AndCountJobsOfEveryQueueAndEnvironmentsByState()
    {
        var services = sandbox.Harness.Mcp.Services;
        var (health, status) = await HealthChecks.RunAsync(services.GetRequiredService<ToolCatalog>(), services.GetRequiredService<PluginRouter>(),
            services.GetRequiredService<HealthCache>(), sandbox.Harness.Mcp.Instances.Get("batch"), CancellationToken.None, withStatus: true);

        health.Status.Should().Be(HealthStatus.Healthy, health.Message);
        health.Message.Should().StartWith("AWS Batch reachable in us-east-1");
        // train-gpu-retry was submitted as the scenario started: it moves from SUBMITTED through PENDING to RUNNABLE within seconds.
        status!.Text.Should().MatchRegex(@"^5 compute environments \(INVALID 1, DISABLED 1, VALID 3\); jobs in 5 queues: failed 16, runnable [45], (pending|submitted|pending 1, submitted) [12], " +
            @"starting 1, running 4, succeeded 21; in trouble: default-queue \(failed 12\), spot-queue \(failed 3\), gpu-queue \(failed 1, stuck 1\), " +
            @"small-queue \(stuck 2\), legacy-queue \(stuck 1\)$");
        status.Counts!["ce_invalid"].Should().Be(1);
        status.Counts["queues"].Should().Be(5);
        status.Counts["jobs_failed"].Should().Be(16);
        status.Counts["jobs_runnable"].Should().BeInRange(4, 5);
        status.Counts["jobs_stuck"].Should().Be(4);
    }

    [Fact]
    public async Task Throttling_IsAbsorbedByTheRetryPipeline()
    {
        sandbox.Harness.Sandbox.Faults.Set("batch", new McpCloudTools.Sandbox.FaultSettings { ThrottleNext = 2 });

        var text = await sandbox.CallAsync("batch_job_queue_list");

        text.Should().StartWith("5 job queues");
        sandbox.Harness.Sandbox.Faults.Snapshot()["batch"].ThrottleNext.Should().Be(0);
        sandbox.Harness.Sandbox.Faults.Clear();
    }
}
