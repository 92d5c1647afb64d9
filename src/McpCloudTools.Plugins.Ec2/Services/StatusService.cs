using Amazon.EC2.Model;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// <c>ec2_instance_status</c>: system, instance and EBS checks and scheduled events from DescribeInstanceStatus,
/// impaired instances first, then those with events, then those still initialising. The whole answer is read and
/// kept (<see cref="ListingCache"/>) so the order holds across pages.
/// </summary>
public sealed class StatusService(Ec2Clients clients, ListingCache cache, TimeProvider time)
{
    private const int MaxPages = 20;

    /// <summary>Reads and renders one page.</summary>
    public async Task<string> StatusAsync(PluginContext context, IReadOnlyList<string>? ids, bool includeAll, PageRequest page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var wanted = ids is { Count: > 0 } ? InstanceService.CleanIds(ids) : [];
        var scope = $"ec2_instance_status|{context.Instance.Id}|{includeAll}|{string.Join(',', wanted)}";
        var result = await cache.PageAsync(scope, page, ct => ReadAsync(api, wanted, includeAll, ct), cancellationToken).ConfigureAwait(false);
        var statuses = result.Items.ToList();
        var names = await NamesAsync(api, statuses, cancellationToken).ConfigureAwait(false);
        return Render(result.Snapshot, statuses, names, includeAll, page, result.Next);
    }

    private static async Task<(IReadOnlyList<InstanceStatus>, bool)> ReadAsync(Ec2Api api, List<string> ids, bool includeAll, CancellationToken cancellationToken)
    {
        var statuses = new List<InstanceStatus>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new DescribeInstanceStatusRequest { IncludeAllInstances = includeAll, NextToken = token };
            if (ids.Count > 0) request.InstanceIds = ids;
            else request.MaxResults = 1000;
            var response = await api.CallAsync("DescribeInstanceStatus", request, (c, r, ct) => c.DescribeInstanceStatusAsync(r, ct),
                ids.Count > 0 ? InstanceService.Resource(ids) : null, InstanceService.NotFoundHint, cancellationToken).ConfigureAwait(false);
            statuses.AddRange(response.InstanceStatuses ?? []);
            token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        } while (token is not null && ++pages < MaxPages);
        statuses.Sort((a, b) => Rank(a).CompareTo(Rank(b)) is var byRank and not 0 ? byRank : string.CompareOrdinal(a.InstanceId, b.InstanceId));
        return (statuses, token is not null);
    }

    // Names are not in DescribeInstanceStatus: one DescribeInstances for the rows on this page, by filter rather than
    // by id so that an instance gone since the listing was read costs its name, not the whole page.
    private static async Task<Dictionary<string, string>> NamesAsync(Ec2Api api, List<InstanceStatus> statuses, CancellationToken cancellationToken)
    {
        var ids = statuses.Select(s => s.InstanceId).OfType<string>().ToList();
        if (ids.Count == 0) return [];
        var request = new DescribeInstancesRequest { Filters = [new Filter("instance-id", ids)] };
        var response = await api.CallAsync("DescribeInstances", request, (c, r, ct) => c.DescribeInstancesAsync(r, ct), null, null,
            cancellationToken).ConfigureAwait(false);
        return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Where(i => InstanceRow.NameOf(i) is not null && i.InstanceId is not null)
            .ToDictionary(i => i.InstanceId!, i => InstanceRow.NameOf(i)!, StringComparer.Ordinal);
    }

    private string Render(Snapshot<InstanceStatus> listing, List<InstanceStatus> page, Dictionary<string, string> names, bool includeAll,
        PageRequest request, string? next)
    {
        var now = time.GetUtcNow();
        var all = listing.Items;
        var impaired = all.Count(s => Rank(s) == 0);
        var events = all.Count(s => s.Events is { Count: > 0 });
        var initializing = all.Count(s => Rank(s) == 2);
        var notRunning = all.Count(s => Rank(s) == 4);
        var output = new ToolOutput().Line(
            $"{all.Count}{(listing.Truncated ? "+" : "")} {(includeAll ? "" : "running ")}instances checked: impaired {impaired}, "
            + $"scheduled events {events}, initializing {initializing}, ok {all.Count(s => Rank(s) == 3)}"
            + (notRunning > 0 ? $", not running {notRunning}" : ""));
        if (all.Count == 0)
            return output.Line(includeAll ? "No instances." : "No running instances; include_all=true shows the others.").ToString();
        var table = new TextTable("id", "name", "state", "system", "instance", "ebs", "event");
        foreach (var s in page)
        {
            table.Row(s.InstanceId, names.GetValueOrDefault(s.InstanceId ?? ""),
                s.InstanceState?.Name?.Value is { } state && state != "running" ? state : null,
                Check(s.SystemStatus, now), Check(s.Status, now), Check(s.AttachedEbsStatus?.Status?.Value, null, now),
                s.Events is { Count: > 0 } e ? $"{e[0].Code?.Value} in {Until(e[0].NotBefore, now)}" : null);
        }
        output.Table(table);
        foreach (var s in page.Where(s => s.Events is { Count: > 0 }))
        {
            foreach (var e in s.Events!)
            {
                output.Line($"event {s.InstanceId}: {e.Code?.Value} {Time(e.NotBefore)}–{Time(e.NotAfter)}: {e.Description} ({e.InstanceEventId})");
            }
        }
        if (impaired > 0)
            output.Line("impaired: a failed instance check is usually the OS (reboot, or read the console); a failed system check "
                + "is AWS hardware (stop and start moves the instance).");
        return output.Page(page.Count, listing.Truncated ? null : all.Count, next, request).ToString();
    }

    // impaired 0, scheduled event 1, initializing or unknown 2, ok 3, not running (checks not applicable) 4.
    private static int Rank(InstanceStatus s)
    {
        string?[] checks = [s.SystemStatus?.Status?.Value, s.Status?.Status?.Value, s.AttachedEbsStatus?.Status?.Value];
        if (checks.Contains("impaired")) return 0;
        if (s.Events is { Count: > 0 }) return 1;
        if (checks.All(c => c is null or "not-applicable")) return 4;
        return checks.All(c => c is null or "ok" or "not-applicable") ? 3 : 2;
    }

    private static string? Check(InstanceStatusSummary? summary, DateTimeOffset now)
    {
        var since = summary?.Details?.FirstOrDefault(d => d.ImpairedSince is not null)?.ImpairedSince;
        return Check(summary?.Status?.Value, since, now);
    }

    private static string? Check(string? status, DateTime? impairedSince, DateTimeOffset now) => status switch
    {
        null => null,
        "impaired" when impairedSince is { } since => $"IMPAIRED {Fmt.Age(Utc(since), now)}",
        "impaired" => "IMPAIRED",
        "initializing" => "init",
        "insufficient-data" => "no-data",
        "not-applicable" => "n/a",
        _ => status,
    };

    private static string Until(DateTime? when, DateTimeOffset now) =>
        when is { } w ? Fmt.Age(now, Utc(w)) : "?";

    private static string Time(DateTime? t) => t is { } value ? Fmt.Time(Utc(value)) : "?";

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
