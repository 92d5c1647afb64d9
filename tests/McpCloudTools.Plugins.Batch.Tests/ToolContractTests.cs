using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>The tools' contract: names, safety tiers, and the token budget of tools/list.</summary>
public sealed class ToolContractTests(FastWriteSandbox write, ReadOnlySandbox readOnly)
    : IClassFixture<FastWriteSandbox>, IClassFixture<ReadOnlySandbox>
{
    private static readonly string[] ReadTools =
    [
        "batch_compute_environment_list", "batch_job_definition_list", "batch_job_describe", "batch_job_diagnose", "batch_job_list",
        "batch_job_logs", "batch_job_queue_list", "batch_job_wait",
    ];

    private static readonly string[] WriteTools = ["batch_job_cancel", "batch_job_submit", "batch_job_terminate"];

    [Fact]
    public async Task ToolsList_WithAllowWrite_HasEveryToolWithinTheToolBudget()
    {
        var tools = (await write.Harness.Mcp.Client.ListToolsAsync()).Where(t => t.Name.StartsWith("batch_", StringComparison.Ordinal)).ToList();

        tools.Select(t => t.Name).Order().Should().Equal([.. ReadTools.Concat(WriteTools).Order()]);
        var sizes = tools.ToDictionary(t => t.Name, t => JsonSerializer.SerializeToUtf8Bytes(t.ProtocolTool, McpJsonUtilities.DefaultOptions).Length);
        sizes.Should().OnlyContain(kv => kv.Value <= Core.Plugins.ToolBudget.MaxBytesPerTool,
            string.Join(", ", sizes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}={kv.Value}")));
    }

    [Fact]
    public async Task ToolAnnotations_MarkSubmitAsNonIdempotentWriteAndTerminateAsDestructive()
    {
        var tools = (await write.Harness.Mcp.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool.Annotations!);

        tools["batch_job_submit"].ReadOnlyHint.Should().BeFalse();
        tools["batch_job_submit"].DestructiveHint.Should().BeFalse();
        tools["batch_job_submit"].IdempotentHint.Should().BeFalse();
        tools["batch_job_cancel"].DestructiveHint.Should().BeFalse();
        tools["batch_job_terminate"].DestructiveHint.Should().BeTrue();
        tools.Where(t => ReadTools.Contains(t.Key)).Should().OnlyContain(t => t.Value.ReadOnlyHint == true);
    }

    [Fact]
    public async Task WriteTools_WithoutAllowWrite_AreNotListed()
    {
        var names = await readOnly.Harness.Mcp.ToolNamesAsync();

        names.Should().Contain(ReadTools);
        names.Should().NotContain(WriteTools);
    }

    [Theory]
    [InlineData("batch_job_submit")]
    [InlineData("batch_job_cancel")]
    [InlineData("batch_job_terminate")]
    public async Task WriteTools_WithoutAllowWrite_AreRefusedWithTheFlagToUse(string tool)
    {
        var result = await readOnly.Harness.CallAsync(tool, new { job_id = "x", name = "x", definition = "hello-world" });

        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("read-only").And.Contain("--allow-write");
    }
}
