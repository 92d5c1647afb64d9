namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>
/// Two Batch instances (accounts or regions): lists cover both, each with its own region's state (the sandbox's
/// eu-west-1 is a smaller account), and jobs and queues resolve without an instance argument.
/// </summary>
public sealed class MultiInstanceTests(ReadOnlySandbox sandbox) : IClassFixture<ReadOnlySandbox>
{
    [Fact]
    public async Task SecondInstance_ListsShowBoth_AndJobsAndQueuesStillResolve()
    {
        var id = await sandbox.JobIdAsync("default-queue", "genome-align-chr7");
        await sandbox.Harness.Mcp.Instances.CreateAsync("batch", "batch-eu", "Batch EU", new Dictionary<string, string> { ["region"] = "eu-west-1" });

        var environments = await sandbox.CallAsync("batch_compute_environment_list");
        var queues = await sandbox.CallAsync("batch_job_queue_list");
        var describe = await sandbox.CallAsync("batch_job_describe", new { job_id = id });
        var jobs = await sandbox.CallAsync("batch_job_list", new { queue = "small-queue", status = "RUNNING" });

        environments.Should().StartWith("6 compute environments in 2 instances (batch us-east-1, batch-eu eu-west-1");
        environments.Split('\n')[1].Should().StartWith("NAME").And.Contain("INSTANCE");
        environments.Should().MatchRegex(@"gpu-ce +batch +ENABLED +INVALID").And.MatchRegex(@"ondemand-ce +batch-eu +ENABLED +VALID");
        environments.Should().NotMatchRegex(@"gpu-ce +batch-eu", "eu-west-1 holds its own, smaller account");
        queues.Should().StartWith("6 job queues in 2 instances").And.Contain("2 cannot run jobs");
        describe.Should().StartWith($"job {id} (genome-align-chr7) FAILED");
        jobs.Should().StartWith("queue small-queue: 2 jobs (status RUNNING)");
    }
}
