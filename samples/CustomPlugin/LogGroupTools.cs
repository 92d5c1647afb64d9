using System.ComponentModel;
using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;
using ModelContextProtocol.Server;

namespace CustomPlugin;

/// <summary>The plugin's one tool class: thin, typed, routed by its own plugin's router.</summary>
public sealed class LogGroupTools(PluginRouter<LogsPlugin> router, LogsClients logs, TimeProvider time)
{
    /// <summary><c>logs_group_list</c>.</summary>
    [McpServerTool(Name = "logs_group_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Log groups with stored size, retention and age; groups that never expire come first.")]
    public async Task<string> List(
        [Description("Name prefix, e.g. /aws/lambda/"), LogGroupName] string? prefix = null,
        [Description(ToolParams.Instance)] string? instance = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        var groups = (await logs.For(context).DescribeAllLogGroupsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = prefix },
            new PageLimits(5000), cancellationToken).ConfigureAwait(false)).Items
            .OrderBy(g => g.RetentionInDays is not null).ThenByDescending(g => g.StoredBytes ?? 0).ToList();
        var (items, next) = Paging.Slice(groups, page, $"logs_group_list|{context.Instance.Id}|{prefix}");
        var table = new TextTable("name", "stored", "retention", "age");
        foreach (var g in items)
        {
            table.Row(g.LogGroupName, Fmt.Bytes(g.StoredBytes ?? 0), g.RetentionInDays is { } d ? $"{d}d" : "never expires",
                Fmt.Age(g.CreationTime is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null, time.GetUtcNow()));
        }

        return new ToolOutput().Line($"log groups: {groups.Count} (never expire {groups.Count(g => g.RetentionInDays is null)})")
            .Table(table).Page(items.Count, groups.Count, next, page).ToString();
    }
}

/// <summary>The rule of a log group name (and of a prefix of one), which the call guard checks before the tool runs.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class LogGroupNameAttribute : ArgumentRuleAttribute
{
    /// <inheritdoc />
    public override ArgumentRule Rule => LogsNames.Group;
}
