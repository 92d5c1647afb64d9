namespace McpCloudTools.Core.Plugins;

/// <summary>Health of one plugin instance.</summary>
public enum HealthStatus { Unknown, Healthy, Degraded, Unhealthy }

/// <summary>The result of a plugin instance's health check; the last one is kept with the instance.</summary>
/// <param name="Status">Overall status.</param>
/// <param name="Message">One line: who we are talking to, or what is wrong and what to do.</param>
/// <param name="CheckedAt">When the check ran.</param>
/// <param name="Details">Optional facts (account, region, identity, endpoint).</param>
public sealed record HealthReport(
    HealthStatus Status,
    string Message,
    DateTimeOffset CheckedAt,
    IReadOnlyDictionary<string, string>? Details = null)
{
    /// <summary>A healthy report.</summary>
    public static HealthReport Healthy(string message, IReadOnlyDictionary<string, string>? details = null) =>
        new(HealthStatus.Healthy, message, DateTimeOffset.UtcNow, details);

    /// <summary>An unhealthy report.</summary>
    public static HealthReport Unhealthy(string message, IReadOnlyDictionary<string, string>? details = null) =>
        new(HealthStatus.Unhealthy, message, DateTimeOffset.UtcNow, details);
}

/// <summary>A plugin instance's status in a few words and counts (instances by state, pods by status…).</summary>
/// <param name="Text">One line for people and models.</param>
/// <param name="Counts">Named counts, unhealthy-first where that applies.</param>
public sealed record StatusSummary(string Text, IReadOnlyDictionary<string, long>? Counts = null);

/// <summary>A resource a plugin exposes through MCP <c>resources/list</c> and <c>resources/read</c>.</summary>
/// <param name="Uri">Unique URI, conventionally <c>&lt;type&gt;://&lt;instance&gt;/&lt;path&gt;</c>.</param>
/// <param name="Name">Short name.</param>
/// <param name="Description">What reading it returns.</param>
/// <param name="MimeType">Content type of the read result.</param>
public sealed record PluginResource(string Uri, string Name, string? Description = null, string MimeType = "text/plain");
