using System.ComponentModel;
using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace CustomPlugin;

/// <summary>A new service in one file: CloudWatch Logs log groups, with the ones that keep data forever first.</summary>
public sealed class LogsPlugin : PluginBase
{
    public override PluginInfo Info { get; } = new("logs", "CloudWatch Logs", "Log groups: size and retention. Not for reading log lines (use lambda_function_logs / batch_job_logs).", "📜", "0.1.0");

    public override IReadOnlyList<PluginConfigKey> ConfigKeys { get; } = [new("profile", "AWS profile"), new("region", "AWS region"), new("endpoint_url", "Endpoint override")];

    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<LogGroupTools>();

    public override async Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken)
    {
        await Client(context).DescribeLogGroupsAsync(new DescribeLogGroupsRequest { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return HealthReport.Healthy("CloudWatch Logs answers");
    }

    public override async Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var groups = await Client(context).DescribeAllLogGroupsAsync(new(), new PageLimits(1000), cancellationToken).ConfigureAwait(false);
        return new StatusSummary($"{groups.Items.Count} log groups", new Dictionary<string, long> { ["never_expire"] = groups.Items.Count(g => g.RetentionInDays is null) });
    }

    internal static CloudWatchLogsClient Client(PluginContext context) =>
        new(context.Services.GetRequiredService<AwsContextProvider>().Get(context.Instance.Id, context.Instance.Config));
}

/// <summary>The plugin's one tool.</summary>
public sealed class LogGroupTools(PluginRouter router, TimeProvider time)
{
    [McpServerTool(Name = "logs_group_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Log groups with stored size, retention and age; groups that never expire come first.")]
    public async Task<string> List(
        [Description("Name prefix, e.g. /aws/lambda/")] string? prefix = null,
        [Description(ToolParams.Instance)] string? instance = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync("logs", instance, cancellationToken).ConfigureAwait(false);
        var page = Paging.Read(limit, cursor);
        var groups = (await LogsPlugin.Client(context).DescribeAllLogGroupsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = prefix },
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
