namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Descriptions of the parameters every plugin shares, kept short because every byte of <c>tools/list</c> is paid
/// for on every turn, and identical across tools so a model learns them once.
/// </summary>
public static class ToolParams
{
    /// <summary><c>instance</c>: which plugin instance (account/region/role) an account-scoped tool uses.</summary>
    public const string Instance = "Plugin instance (plugins_list)";

    /// <summary><c>cluster_id</c>: which cluster a cluster-scoped tool acts on.</summary>
    public const string ClusterId = "Default: the active cluster";

    /// <summary><c>limit</c>.</summary>
    public const string Limit = Output.Paging.LimitDescription;

    /// <summary><c>cursor</c>.</summary>
    public const string Cursor = Output.Paging.CursorDescription;

    /// <summary><c>dry_run</c> on write tools.</summary>
    public const string DryRun = "Preview only; change nothing";
}
