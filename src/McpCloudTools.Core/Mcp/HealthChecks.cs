using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.Mcp;

/// <summary>Runs an instance's health check and status summary with a time limit, recording the result.</summary>
public static class HealthChecks
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Checks one instance; never throws for the instance's own failures.</summary>
    public static async Task<(HealthReport Health, StatusSummary? Status)> RunAsync(ToolCatalog catalog, PluginRouter router, HealthCache health,
        PluginInstance instance, CancellationToken cancellationToken, bool withStatus = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(instance);
        var plugin = catalog.FindPlugin(instance.Type);
        if (plugin is null)
        {
            return (HealthReport.Unhealthy($"Plugin type '{instance.Type}' is not part of this build."), null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        var context = router.Context(instance);
        HealthReport report;
        StatusSummary? status = null;
        try
        {
            await router.ReadyAsync(timeout.Token).ConfigureAwait(false);
            report = await plugin.HealthCheckAsync(context, timeout.Token).ConfigureAwait(false);
            if (withStatus && report.Status != HealthStatus.Unhealthy)
            {
                status = await plugin.GetStatusSummaryAsync(context, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            report = HealthReport.Unhealthy($"No answer within {Limit.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report = HealthReport.Unhealthy(e is ToolException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }

        health.Record(instance.Id, report);
        return (report, status);
    }
}
