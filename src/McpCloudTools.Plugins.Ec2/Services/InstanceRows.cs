using Amazon.EC2.Model;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>The few facts of an instance a list row shows, kept small because a listing holds thousands of them.</summary>
/// <param name="Id">Instance id.</param>
/// <param name="Name">The Name tag.</param>
/// <param name="State">State name (<c>running</c>).</param>
/// <param name="Type">Instance type.</param>
/// <param name="Zone">Availability zone.</param>
/// <param name="PrivateIp">Primary private address.</param>
/// <param name="PublicIp">Public address.</param>
/// <param name="LaunchTime">Last launch or start.</param>
public sealed record InstanceRow(string Id, string? Name, string State, string? Type, string? Zone, string? PrivateIp,
    string? PublicIp, DateTimeOffset? LaunchTime)
{
    /// <summary>The row of an SDK instance (v4 leaves absent members null).</summary>
    public static InstanceRow From(Instance i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(i.InstanceId ?? "", NameOf(i), i.State?.Name?.Value ?? "unknown", i.InstanceType?.Value,
            i.Placement?.AvailabilityZone, i.PrivateIpAddress, i.PublicIpAddress,
            i.LaunchTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null);
    }

    /// <summary>The Name tag of an instance, or null.</summary>
    public static string? NameOf(Instance i) => i?.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value;
}

/// <summary>Instance states: the valid names, their short forms in rows, and the order problems-first listings use.</summary>
public static class InstanceStates
{
    /// <summary>Every state, in lifecycle order (the order counts are shown in).</summary>
    public static IReadOnlyList<string> All { get; } = ["pending", "running", "stopping", "stopped", "shutting-down", "terminated"];

    /// <summary>The short form in list rows (explained by <see cref="Legend"/>).</summary>
    public static string Abbreviation(string state) => state switch
    {
        "running" => "run",
        "stopped" => "stop",
        "pending" => "pend",
        "stopping" => "stpg",
        "shutting-down" => "shut",
        "terminated" => "term",
        _ => state,
    };

    /// <summary>Sort rank: instances on the move first, then running, stopped, and the terminated last.</summary>
    public static int Rank(string state) => state switch
    {
        "pending" => 0,
        "stopping" => 1,
        "shutting-down" => 2,
        "running" => 3,
        "stopped" => 4,
        "terminated" => 5,
        _ => 6,
    };

    /// <summary>The abbreviations used by <paramref name="states"/>, e.g. <c>run=running stop=stopped</c>.</summary>
    public static string Legend(IEnumerable<string> states) =>
        string.Join(' ', states.Distinct().OrderBy(Rank).Where(s => Abbreviation(s) != s).Select(s => $"{Abbreviation(s)}={s}"));

    /// <summary>Parses a comma-separated state filter; an unknown name is an error listing the valid ones.</summary>
    public static IReadOnlyList<string> Parse(string? states)
    {
        if (string.IsNullOrWhiteSpace(states)) return [];
        var parsed = states.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).Distinct().ToList();
        var unknown = parsed.Where(s => !All.Contains(s)).ToList();
        return unknown.Count == 0 ? parsed
            : throw new ToolException($"Unknown state '{string.Join(", ", unknown)}'. Valid states: {string.Join(", ", All)} "
                + "(comma-separate several, e.g. state=\"stopped,stopping\").");
    }

    /// <summary>Counts in lifecycle order, zero counts left out: <c>running 12, stopped 3</c>.</summary>
    public static string Counts(IReadOnlyDictionary<string, int> counts) =>
        Fmt.Counts(All.Concat(counts.Keys.Except(All)).Select(s => new KeyValuePair<string, int>(s, counts.GetValueOrDefault(s))));
}

/// <summary>Renders instance rows the one compact way every EC2 list uses.</summary>
public static class InstanceTable
{
    /// <summary>
    /// Writes the rows with a one-line legend: state abbreviations on the page, and zones shortened to their
    /// suffix within <paramref name="region"/> (<c>us-east-1a</c> → <c>a</c>).
    /// </summary>
    public static void Write(ToolOutput output, IReadOnlyList<InstanceRow> rows, string region, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        var shortZones = rows.All(r => r.Zone is null || r.Zone.StartsWith(region, StringComparison.Ordinal));
        var legend = InstanceStates.Legend(rows.Select(r => r.State));
        output.Line($"st: {legend}" + (shortZones && rows.Any(r => r.Zone is not null) ? $"; az: {region}+" : ""));
        var table = new TextTable("id", "name", "st", "type", "az", "private-ip", "public-ip", "age");
        foreach (var r in rows)
        {
            table.Row(r.Id, r.Name, InstanceStates.Abbreviation(r.State), r.Type,
                shortZones && r.Zone is not null ? r.Zone[region.Length..] : r.Zone, r.PrivateIp, r.PublicIp, Fmt.Age(r.LaunchTime, now));
        }
        output.Table(table);
    }
}
