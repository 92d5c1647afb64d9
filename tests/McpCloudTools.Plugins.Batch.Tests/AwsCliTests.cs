using System.Text.Json;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>The real AWS CLI (botocore) against the sandbox's Batch: it cannot tell it from AWS.</summary>
public sealed class AwsCliTests(ReadOnlySandbox sandbox) : IClassFixture<ReadOnlySandbox>
{
    [Fact]
    public async Task DescribeJobQueues_ListsTheSeededQueuesWithTheirComputeEnvironments()
    {
        var (code, stdout, stderr) = await AwsAsync("batch", "describe-job-queues");

        code.Should().Be(0, stderr);
        var queues = JsonDocument.Parse(stdout).RootElement.GetProperty("jobQueues").EnumerateArray().ToList();
        queues.Select(q => q.GetProperty("jobQueueName").GetString()).Should().Equal("default-queue", "spot-queue", "gpu-queue", "legacy-queue", "small-queue");
        queues[0].GetProperty("computeEnvironmentOrder")[1].GetProperty("computeEnvironment").GetString()
            .Should().Be("arn:aws:batch:us-east-1:123456789012:compute-environment/spot-ce");
    }

    [Fact]
    public async Task SubmitJob_ReturnsAnIdThatDescribeJobsAndTheToolsKnow()
    {
        var (code, stdout, stderr) = await AwsAsync("batch", "submit-job", "--job-name", "cli-job", "--job-queue", "spot-queue",
            "--job-definition", "hello-world", "--container-overrides", "resourceRequirements=[{type=MEMORY,value=1024}]");
        code.Should().Be(0, stderr);
        var id = JsonDocument.Parse(stdout).RootElement.GetProperty("jobId").GetString()!;

        var (describeCode, describe, _) = await AwsAsync("batch", "describe-jobs", "--jobs", id);
        var tool = await sandbox.CallAsync("batch_job_describe", new { job_id = id });

        describeCode.Should().Be(0);
        var job = JsonDocument.Parse(describe).RootElement.GetProperty("jobs")[0];
        job.GetProperty("jobName").GetString().Should().Be("cli-job");
        job.GetProperty("status").GetString().Should().BeOneOf("SUBMITTED", "PENDING", "RUNNABLE");
        tool.Should().Contain($"job {id} (cli-job)").And.Contain("1 vCPU, 1024 MiB");
    }

    [Fact]
    public async Task ListJobs_WithoutStatus_ReturnsOnlyRunningJobs_AsAwsDoes()
    {
        var (code, stdout, stderr) = await AwsAsync("batch", "list-jobs", "--job-queue", "small-queue");

        code.Should().Be(0, stderr);
        JsonDocument.Parse(stdout).RootElement.GetProperty("jobSummaryList").EnumerateArray()
            .Select(j => j.GetProperty("status").GetString()).Should().OnlyContain(s => s == "RUNNING").And.HaveCount(2);
    }

    [Fact]
    public async Task InvalidSubmit_IsAClientException()
    {
        var (code, _, stderr) = await AwsAsync("batch", "submit-job", "--job-name", "x", "--job-queue", "default-queue", "--job-definition", "missing");

        code.Should().NotBe(0);
        stderr.Should().Contain("(ClientException)").And.Contain("Job definition missing does not exist");
    }

    private Task<AwsCli.Result> AwsAsync(params string[] args) => AwsCli.RunAsync(sandbox.Harness.Sandbox.Endpoint, args);
}
