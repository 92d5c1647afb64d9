using System.Globalization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Slurm.Client;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>
/// The per-instance operations: registering the instance's cluster as <c>slurm:&lt;name&gt;</c>, the health check
/// (ping and diag), the status summary (partitions and job counts) and completion values.
/// </summary>
internal sealed class SlurmInstanceService(SlurmConnections connections)
{
    /// <summary>Cluster config key: the API version in use.</summary>
    public const string ApiVersionKey = "api_version";

    /// <summary>Cluster config key: where slurmrestd is.</summary>
    public const string UrlKey = "url";

    public async Task DiscoverAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var client = connections.For(context);
        var health = await client.HealthAsync(cancellationToken).ConfigureAwait(false);
        var version = await client.VersionAsync(cancellationToken).ConfigureAwait(false);
        var name = context.Settings<SlurmConfig>().Settings.ClusterName ?? client.ReportedCluster ?? context.Instance.Id;
        var cluster = new ClusterInfo($"{SlurmPlugin.Type}:{name}", name, "", SlurmPlugin.Type, null, new Dictionary<string, string>
        {
            [ApiVersionKey] = version.Name,
            [UrlKey] = client.Url.ToString(),
            ["release"] = health.Release ?? "",
        });
        await context.Clusters.SetDiscoveredClustersAsync(context.Instance.Id, [cluster], cancellationToken).ConfigureAwait(false);
    }

    public async Task<HealthReport> HealthAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var client = connections.For(context);
        var health = await client.HealthAsync(cancellationToken).ConfigureAwait(false);
        var version = await client.VersionAsync(cancellationToken).ConfigureAwait(false);
        var details = new Dictionary<string, string> { ["url"] = client.Url.ToString(), ["api_version"] = version.Name };
        if (health.Release is { } r)
        {
            details["release"] = r;
        }

        var load = health.ServerThreads is { } t ? $"; {t} server threads, agent queue {health.AgentQueue ?? 0}" : "";
        var text = $"slurmctld {health.Controller ?? "?"} ({health.Mode ?? "primary"}) {(health.Responding ? "UP" : "NOT RESPONDING")} via slurmrestd {client.Url} " +
                   $"(Slurm {health.Release ?? "?"}, API {version}){load}";
        return health.Responding ? HealthReport.Healthy(text, details)
            : new HealthReport(HealthStatus.Unhealthy, text + ". slurmctld does not answer slurmrestd: check the controller (systemctl status slurmctld).",
                DateTimeOffset.UtcNow, details);
    }

    public async Task<StatusSummary> SummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var client = connections.For(context);
        var partitionsTask = client.PartitionsAsync(cancellationToken);
        var jobsTask = client.JobsAsync(cancellationToken);
        await Task.WhenAll(partitionsTask, jobsTask).ConfigureAwait(false);
        var partitions = await partitionsTask.ConfigureAwait(false);
        var jobs = await jobsTask.ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["partitions"] = partitions.Count };
        foreach (var g in partitions.GroupBy(p => p.State))
        {
            counts["partitions_" + g.Key.ToLowerInvariant()] = g.Count();
        }

        foreach (var g in jobs.GroupBy(j => j.State))
        {
            counts["jobs_" + g.Key.ToLowerInvariant()] = g.Count();
        }

        var down = partitions.Where(p => p.State != "UP").Select(p => $"{p.Name} {p.State}").ToList();
        var text = $"{partitions.Count} partitions" + (down.Count > 0 ? $" ({string.Join(", ", down)})" : " (all UP)") +
                   $"; {jobs.Count} jobs" + (jobs.Count > 0 ? $": {SlurmText.Counts(jobs)}" : "");
        return new StatusSummary(text, counts);
    }

    /// <summary>
    /// Completion values for the arguments of the plugin's template and prompt: <c>job_id</c> (the jobs slurmctld
    /// knows, newest first; an array task as <c>&lt;array job&gt;_&lt;task&gt;</c>, as the tools take it). Null for an
    /// argument Slurm does not complete (the core completes <c>instance</c> and <c>cluster_id</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, CancellationToken cancellationToken)
    {
        if (argument != "job_id")
        {
            return null;
        }

        var jobs = await connections.For(context).JobsAsync(cancellationToken).ConfigureAwait(false);
        return [.. jobs.OrderByDescending(j => j.Submitted ?? DateTimeOffset.MinValue).ThenByDescending(j => j.JobId)
            .Select(j => j is { ArrayJobId: { } array, ArrayTaskId: { } task } ? $"{array}_{task}" : j.JobId.ToString(CultureInfo.InvariantCulture))];
    }
}
