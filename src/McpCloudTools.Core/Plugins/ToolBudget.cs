namespace McpCloudTools.Core.Plugins;

/// <summary>
/// What <c>tools/list</c> may cost, in bytes of each tool's JSON entry (name, description, input schema, annotations),
/// paid on every turn of every conversation: the one place these numbers live; the tests of every plugin and of the
/// product assert them, and docs/plugins.md quotes them.
/// </summary>
public static class ToolBudget
{
    /// <summary>
    /// Any one tool's entry. The frame alone puts about 260-290 bytes into every entry (the four annotations, the shared
    /// <c>instance</c> or <c>cluster_id</c> parameter, the envelope) before the tool says anything; the largest entries
    /// are the submit tools with their many optional parameters (batch_job_submit, 1,094 bytes when this was set).
    /// </summary>
    public const int MaxBytesPerTool = 1100;

    /// <summary>The whole product's average per tool, over every plugin, read-only and with <c>--allow-write</c>.</summary>
    public const int MaxAverageBytesPerTool = 500;
}
