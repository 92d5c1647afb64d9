using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace CustomPlugin;

/// <summary>
/// A new service, written as docs/plugins.md says: CloudWatch Logs log groups, the ones that keep data forever first.
/// Metadata, the shared AWS config, one service, one tool class; nothing else.
/// </summary>
public sealed class LogsPlugin : PluginBase
{
    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("logs", "CloudWatch Logs",
        "Log groups of one account and region: stored size and retention, never-expiring first. Not for reading log lines " +
        "(use lambda_function_logs or batch_job_logs).", "📜", "0.1.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => AwsSettings.ConfigKeys;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => AwsSettings.ParseValid(config);

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services) => services.AddSingleton<LogsClients>();

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) => tools.From<LogGroupTools>();

    /// <inheritdoc />
    public override async Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logs = context.Services.GetRequiredService<LogsClients>();
        await logs.For(context).DescribeLogGroupsAsync(new DescribeLogGroupsRequest { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return HealthReport.Healthy($"CloudWatch Logs answers in {logs.Region(context)}");
    }

    /// <inheritdoc />
    public override async Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var groups = await context.Services.GetRequiredService<LogsClients>().For(context)
            .DescribeAllLogGroupsAsync(new DescribeLogGroupsRequest(), new PageLimits(1000), cancellationToken).ConfigureAwait(false);
        return new StatusSummary($"{groups.Items.Count} log groups",
            new Dictionary<string, long> { ["never_expire"] = groups.Items.Count(g => g.RetentionInDays is null) });
    }
}
