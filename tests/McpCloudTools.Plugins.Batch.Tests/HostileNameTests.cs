using McpCloudTools.Core;
using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>Issue 12: Batch names and ids are checked against Batch's own rules before anything is sent.</summary>
public sealed class HostileNameTests(FrozenWriteSandbox sandbox) : IClassFixture<FrozenWriteSandbox>
{
    private const string SomeJob = "0b5f4c58-2f7e-4a4e-9f6b-8d2a9c1e7a31";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DependsOn_WithANullItem_NamesTheItem(int nullAt)
    {
        string?[] dependsOn = nullAt == 0 ? [null] : [SomeJob, null];
        var error = await sandbox.FailAsync("batch_job_submit", new { name = "n", definition = "hello-world", queue = "default-queue", depends_on = dependsOn });

        error.Should().StartWith($"depends_on[{nullAt}] is null: give each item as a string. A dependency is a job id")
            .And.NotContain("NullReferenceException");
    }

    [Fact]
    public async Task EveryNameOfEveryBatchTool_RefusesHostileValuesBeforeAnyRequest()
    {
        await sandbox.CallAsync("batch_job_queue_list");
        var before = sandbox.Harness.Sandbox.Requests.Last;
        (string Tool, string Argument, object Others, bool List)[] cases =
        [
            ("batch_job_describe", "job_id", new { }, false), ("batch_job_logs", "job_id", new { }, false), ("batch_job_diagnose", "job_id", new { }, false),
            ("batch_job_wait", "job_id", new { timeout_seconds = 1 }, false), ("batch_job_cancel", "job_id", new { }, false),
            ("batch_job_terminate", "job_id", new { }, false),
            ("batch_job_list", "queue", new { }, false), ("batch_job_list", "name", new { queue = "default-queue" }, false),
            ("batch_job_list", "array_job_id", new { }, false), ("batch_job_definition_list", "name", new { }, false),
            ("batch_job_submit", "name", new { definition = "hello-world", queue = "default-queue" }, false),
            ("batch_job_submit", "definition", new { name = "n", queue = "default-queue" }, false),
            ("batch_job_submit", "queue", new { name = "n", definition = "hello-world" }, false),
            ("batch_job_submit", "depends_on", new { name = "n", definition = "hello-world", queue = "default-queue" }, true),
        ];
        var failures = new List<string>();
        foreach (var (tool, argument, others, list) in cases)
        {
            // 'a*b' is a name pattern by the one name-filter rule, not a hostile name, for batch_job_list's name filter.
            foreach (var value in HostileNames.Values.Concat(HostileNames.Suffixes.Select(s => SomeJob + s))
                         .Where(v => !(tool == "batch_job_list" && argument == "name" && v == "a*b")))
            {
                var args = ToolArgs.From(others).ToDictionary(kv => kv.Key, kv => kv.Value);
                args[argument] = list ? new[] { value } : value;
                var name = list ? $"{argument}[0]" : argument;
                var result = await sandbox.Harness.CallAsync(tool, args);
                if (result.IsError != true || !result.Text().StartsWith($"Invalid {name} ", StringComparison.Ordinal) || result.Text().Length > 600)
                    failures.Add($"{tool} {argument}={value}: {result.Text()}");
            }
        }

        failures.Should().BeEmpty();
        sandbox.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task BatchClient_EveryOperationRefusesHostileNamesBeforeSending()
    {
        await sandbox.CallAsync("batch_job_queue_list");
        var batch = sandbox.Harness.Mcp.Services.GetRequiredService<BatchTargets>().Connect(sandbox.Harness.Mcp.Context("batch")).Batch;
        var ct = CancellationToken.None;
        Func<string, Task>[] operations =
        [
            v => batch.DescribeComputeEnvironmentsAsync(new DescribeComputeEnvironmentsRequest { ComputeEnvironments = [v] }, ct),
            v => batch.DescribeJobQueuesAsync(new DescribeJobQueuesRequest { JobQueues = [v] }, ct),
            v => batch.DescribeJobDefinitionsAsync(new DescribeJobDefinitionsRequest { JobDefinitions = [v] }, ct),
            v => batch.DescribeJobDefinitionsAsync(new DescribeJobDefinitionsRequest { JobDefinitionName = v }, ct),
            v => batch.ListJobsAsync(new ListJobsRequest { JobQueue = v }, ct),
            v => batch.ListJobsAsync(new ListJobsRequest { ArrayJobId = v }, ct),
            v => batch.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [v] }, ct),
            v => batch.SubmitJobAsync(new SubmitJobRequest { JobName = v, JobQueue = "default-queue", JobDefinition = "hello-world" }, ct),
            v => batch.SubmitJobAsync(new SubmitJobRequest { JobName = "n", JobQueue = v, JobDefinition = "hello-world" }, ct),
            v => batch.SubmitJobAsync(new SubmitJobRequest { JobName = "n", JobQueue = "default-queue", JobDefinition = v }, ct),
            v => batch.SubmitJobAsync(new SubmitJobRequest
            {
                JobName = "n", JobQueue = "default-queue", JobDefinition = "hello-world", DependsOn = [new JobDependency { JobId = v }],
            }, ct),
            v => batch.CancelJobAsync(new CancelJobRequest { JobId = v, Reason = "r" }, ct),
            v => batch.TerminateJobAsync(new TerminateJobRequest { JobId = v, Reason = "r" }, ct),
        ];
        var before = sandbox.Harness.Sandbox.Requests.Last;
        foreach (var operation in operations)
        {
            foreach (var value in HostileNames.Values.Append(""))
            {
                var call = () => operation(value);
                await call.Should().ThrowAsync<ToolException>();
            }
        }

        sandbox.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }
}
