using Amazon.EC2.Model;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>Instance listings, details, the plugin's status summary and its resources.</summary>
public sealed class InstanceService(Ec2Clients clients, ListingCache cache, TimeProvider time)
{
    /// <summary>Ids per describe call.</summary>
    public const int MaxIds = 50;

    /// <summary>What to try when an instance id is unknown.</summary>
    public const string NotFoundHint =
        "List instances with ec2_instance_list (terminated ones disappear about an hour after termination), and check the region.";

    /// <summary><c>ec2_instance_list</c>.</summary>
    public async Task<string> ListAsync(PluginContext context, InstanceFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var api = clients.For(context);
        var scope = $"ec2_instance_list|{context.Instance.Id}|{filter.Scope}";
        InstanceListing listing;
        string? id = null;
        var offset = 0;
        if (Paging.Decode(page.Cursor, scope) is { } value)
        {
            (id, offset) = ListingCache.ParseCursor(value);
            listing = cache.Get<InstanceListing>(id);
        }
        else
        {
            listing = new InstanceListing(filter, time.GetUtcNow());
        }

        await listing.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!listing.Complete && offset + page.Limit > listing.Rows.Count)
                await listing.ReadAsync(api, offset + page.Limit, cancellationToken).ConfigureAwait(false);
            var rows = listing.Rows.Skip(offset).Take(page.Limit).ToList();
            var end = offset + rows.Count;
            var more = end < listing.Rows.Count || !listing.Complete;
            if (more) id ??= cache.Add(listing);
            return Render(listing, rows, page, more ? Paging.Encode(scope, ListingCache.Cursor(id!, end)) : null, api.Context.Region.SystemName);
        }
        finally
        {
            listing.Gate.Release();
        }
    }

    /// <summary><c>ec2_instance_describe</c> and resource reads.</summary>
    public async Task<string> DescribeAsync(PluginContext context, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = CleanIds(ids);
        var api = clients.For(context);
        var instances = await DescribeInstancesAsync(api, wanted, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var output = new ToolOutput();
        var first = true;
        foreach (var instance in instances.OrderBy(i => wanted.IndexOf(i.InstanceId ?? "")))
        {
            if (!first) output.Line("");
            first = false;
            InstanceDetail.Write(output, instance, now);
        }
        return output.ToString();
    }

    /// <summary>Instances by state over the whole account (the plugin's status summary).</summary>
    public async Task<StatusSummary> SummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var listing = new InstanceListing(InstanceFilter.Parse(null, null, null, null, null), time.GetUtcNow());
        await listing.ReadAsync(api, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var total = listing.Complete ? $"{listing.Scanned}" : $"{listing.Scanned}+ (first {listing.Scanned} counted)";
        return new StatusSummary($"{total} instances in {api.Context.Region.SystemName}: {InstanceStates.Counts(listing.Counts)}",
            listing.Counts.ToDictionary(kv => kv.Key, kv => (long)kv.Value, StringComparer.Ordinal));
    }

    /// <summary>Up to <paramref name="max"/> live (not terminated) instances as MCP resources, in one EC2 call.</summary>
    public async Task<IReadOnlyList<PluginResource>> ResourcesAsync(PluginContext context, int max, CancellationToken cancellationToken) =>
        [.. (await LiveRowsAsync(context, max, cancellationToken).ConfigureAwait(false)).Select(r =>
            new PluginResource(ResourceUri(context.Instance.Id, r.Id), r.Name is null ? r.Id : $"{r.Name} ({r.Id})",
                $"EC2 instance, {r.State} {r.Type} in {r.Zone}; reading it describes it"))];

    /// <summary>Ids of the instances not terminated (one page of up to 1,000), for completion.</summary>
    public async Task<IReadOnlyList<string>> InstanceIdsAsync(PluginContext context, CancellationToken cancellationToken) =>
        [.. (await LiveRowsAsync(context, 1000, cancellationToken).ConfigureAwait(false)).Select(r => r.Id).Order(StringComparer.Ordinal)];

    private async Task<IEnumerable<InstanceRow>> LiveRowsAsync(PluginContext context, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var request = new DescribeInstancesRequest
        {
            MaxResults = Math.Clamp(max, 5, 1000),
            Filters = [new Filter("instance-state-name", ["pending", "running", "stopping", "stopped", "shutting-down"])],
        };
        var response = await api.CallAsync("DescribeInstances", request, (c, r, ct) => c.DescribeInstancesAsync(r, ct), null, null,
            cancellationToken).ConfigureAwait(false);
        return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(InstanceRow.From);
    }

    /// <summary>The resource URI of an instance: <c>ec2://&lt;plugin instance&gt;/instances/&lt;id&gt;</c>.</summary>
    public static string ResourceUri(string pluginInstance, string instanceId) => $"ec2://{pluginInstance}/instances/{instanceId}";

    /// <summary>Describes instances by id; an unknown or malformed id is EC2's error, mapped.</summary>
    public static async Task<List<Instance>> DescribeInstancesAsync(Ec2Api api, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var request = new DescribeInstancesRequest { InstanceIds = [.. ids] };
        var response = await api.CallAsync("DescribeInstances", request, (c, r, ct) => c.DescribeInstancesAsync(r, ct),
            Resource(ids), NotFoundHint, cancellationToken).ConfigureAwait(false);
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
    }

    /// <summary><c>instance i-…</c> or <c>instances i-…, i-…</c>, for messages.</summary>
    public static string Resource(IReadOnlyList<string> ids) =>
        ids.Count == 1 ? $"instance {ids[0]}" : $"instances {string.Join(", ", ids)}";

    /// <summary>Trims, de-duplicates and bounds a list of instance ids.</summary>
    public static List<string> CleanIds(IReadOnlyList<string>? ids)
    {
        var clean = (ids ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (clean.Count == 0) throw new ToolException("instance_ids is empty: give at least one instance id (i-0123456789abcdef0); ec2_instance_list shows them.");
        if (clean.Count > MaxIds) throw new ToolException($"At most {MaxIds} instance ids per call (got {clean.Count}); split the list.");
        return clean;
    }

    private string Render(InstanceListing listing, List<InstanceRow> rows, PageRequest page, string? next, string region)
    {
        var filter = listing.Filter;
        var output = new ToolOutput();
        var counts = InstanceStates.Counts(listing.Counts);
        var what = listing.Complete
            ? $"{listing.Counts.Values.Sum()} instances in {region}{filter.Describe()}"
            : $"instances in {region}{filter.Describe()}, first {listing.Scanned} read (more exist)";
        var selected = filter.States.Count == 0 ? ""
            : $"; state={string.Join(",", filter.States)}: {listing.Rows.Count}{(listing.Complete ? "" : " so far")}";
        output.Line(what + (counts.Length > 0 ? ": " + counts : "") + selected);
        if (listing.Rows.Count == 0 && listing.Complete)
            output.Line("No instance matches. Check the filters (name, type and tag values: any case, a part of the value, or a whole-value pattern with *; tag keys exact) and the region.");
        InstanceTable.Write(output, rows, region, time.GetUtcNow());
        output.Page(rows.Count, listing.Complete ? listing.Rows.Count : null, next, page);
        var scan = $"scan: {listing.Scanned} instances in {listing.Calls} DescribeInstances call{(listing.Calls == 1 ? "" : "s")}";
        var ec2Filters = filter.Ec2Filters();
        if (ec2Filters.Count > 0) scan += "; EC2 filtered " + string.Join(", ", ec2Filters.Select(f => f.Name));
        if (filter.LocalFilters is { } local) scan += $"; {local} filtered here";
        if (!listing.Complete) scan += "; the cursor reads on, counts cover what was read";
        if (page.Cursor is not null) scan += $"; listing from {Fmt.Age(listing.TakenAt, time.GetUtcNow())} ago";
        return output.Line(scan).ToString();
    }
}
