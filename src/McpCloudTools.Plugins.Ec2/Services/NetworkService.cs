using System.Globalization;
using Amazon.EC2.Model;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>Security groups (exposed ones first), VPCs and subnets (the fullest first).</summary>
public sealed class NetworkService(Ec2Clients clients, ListingCache cache)
{
    private const int MaxPages = 10;

    /// <summary>A subnet this full (free share) is flagged.</summary>
    public const double LowFreeShare = 0.1;

    /// <summary><c>ec2_security_group_list</c>.</summary>
    public async Task<string> SecurityGroupsAsync(PluginContext context, string? vpcId, IReadOnlyList<string>? groupIds, PageRequest page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var vpc = VpcId(vpcId);
        var ids = (groupIds ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct().ToList();
        var scope = $"ec2_security_group_list|{context.Instance.Id}|{vpc}|{string.Join(',', ids)}";
        var result = await cache.PageAsync(scope, page, async ct =>
        {
            var (groups, truncated) = await ReadAllAsync(token =>
            {
                var request = new DescribeSecurityGroupsRequest { NextToken = token };
                if (ids.Count > 0) request.GroupIds = ids;
                else request.MaxResults = 1000;
                if (vpc is not null) request.Filters = [new Filter("vpc-id", [vpc])];
                return api.CallAsync("DescribeSecurityGroups", request, (c, r, t) => c.DescribeSecurityGroupsAsync(r, t),
                    ids.Count == 0 ? null : $"security group {string.Join(", ", ids)}", "ec2_security_group_list without group_ids lists them.", ct);
            }, r => (r.SecurityGroups, r.NextToken), ct).ConfigureAwait(false);
            IReadOnlyList<SecurityGroup> sorted = [.. groups.OrderBy(g => RuleSummary.Exposures(g.IpPermissions).Count == 0)
                .ThenBy(g => g.GroupName, StringComparer.Ordinal).ThenBy(g => g.GroupId, StringComparer.Ordinal)];
            return (sorted, truncated);
        }, cancellationToken).ConfigureAwait(false);

        var all = result.Snapshot.Items;
        var names = all.Where(g => g.GroupId is not null).ToDictionary(g => g.GroupId!, g => g.GroupName ?? "", StringComparer.Ordinal);
        var exposed = all.Count(g => RuleSummary.Exposures(g.IpPermissions).Count > 0);
        var output = new ToolOutput().Line($"{all.Count}{Plus(result.Snapshot)} security groups{(vpc is null ? "" : $" in {vpc}")}: "
            + $"{exposed} open to the internet on sensitive ports");
        foreach (var g in result.Items)
        {
            var description = string.IsNullOrWhiteSpace(g.Description) || g.Description == g.GroupName ? "" : $": {g.Description}";
            output.Line($"{g.GroupId} {g.GroupName} ({g.VpcId}){description}");
            if (RuleSummary.Exposures(g.IpPermissions) is { Count: > 0 } open)
                output.Line("  OPEN TO INTERNET: " + string.Join(", ", open));
            output.Line("  in: " + Rules(g.IpPermissions, true, names));
            output.Line("  out: " + Rules(g.IpPermissionsEgress, false, names));
        }
        return output.Page(result.Items.Count, result.Snapshot.Truncated ? null : all.Count, result.Next, page).ToString();
    }

    /// <summary><c>ec2_vpc_list</c>: one DescribeVpcs and one DescribeSubnets (for subnet and free-address counts).</summary>
    public async Task<string> VpcsAsync(PluginContext context, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var result = await cache.PageAsync($"ec2_vpc_list|{context.Instance.Id}", page, async ct =>
        {
            var (vpcs, truncated) = await ReadAllAsync(token => api.CallAsync("DescribeVpcs",
                new DescribeVpcsRequest { MaxResults = 1000, NextToken = token }, (c, r, t) => c.DescribeVpcsAsync(r, t), null, null, ct),
                r => (r.Vpcs, r.NextToken), ct).ConfigureAwait(false);
            IReadOnlyList<Vpc> sorted = [.. vpcs.OrderBy(v => Name(v.Tags) ?? "\uffff", StringComparer.Ordinal).ThenBy(v => v.VpcId, StringComparer.Ordinal)];
            return (sorted, truncated);
        }, cancellationToken).ConfigureAwait(false);
        var (subnets, _) = await ReadSubnetsAsync(api, null, cancellationToken).ConfigureAwait(false);
        var byVpc = subnets.GroupBy(s => s.VpcId ?? "").ToDictionary(g => g.Key, g => (Count: g.Count(), Free: g.Sum(s => s.AvailableIpAddressCount ?? 0)));

        var output = new ToolOutput().Line($"{result.Snapshot.Items.Count}{Plus(result.Snapshot)} VPCs in {api.Context.Region.SystemName}");
        var table = new TextTable("id", "name", "cidr", "default", "subnets", "free-ips");
        foreach (var v in result.Items)
        {
            var stats = byVpc.GetValueOrDefault(v.VpcId ?? "");
            var cidrs = (v.CidrBlockAssociationSet ?? []).Select(c => c.CidrBlock).OfType<string>().ToList();
            table.Row(v.VpcId, Name(v.Tags), cidrs.Count > 1 ? string.Join(",", cidrs) : v.CidrBlock, v.IsDefault == true ? "yes" : null,
                Number(stats.Count), Number(stats.Free));
        }
        return output.Table(table).Page(result.Items.Count, result.Snapshot.Truncated ? null : result.Snapshot.Items.Count, result.Next, page).ToString();
    }

    /// <summary><c>ec2_subnet_list</c>: free addresses per subnet, the fullest first.</summary>
    public async Task<string> SubnetsAsync(PluginContext context, string? vpcId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = clients.For(context);
        var vpc = VpcId(vpcId);
        var result = await cache.PageAsync($"ec2_subnet_list|{context.Instance.Id}|{vpc}", page, async ct =>
        {
            var (subnets, truncated) = await ReadSubnetsAsync(api, vpc, ct).ConfigureAwait(false);
            IReadOnlyList<Subnet> sorted = [.. subnets.OrderBy(FreeShare).ThenBy(s => s.SubnetId, StringComparer.Ordinal)];
            return (sorted, truncated);
        }, cancellationToken).ConfigureAwait(false);

        var all = result.Snapshot.Items;
        var low = all.Count(s => FreeShare(s) < LowFreeShare);
        var output = new ToolOutput().Line($"{all.Count}{Plus(result.Snapshot)} subnets{(vpc is null ? "" : $" in {vpc}")}: "
            + $"{low} under {LowFreeShare * 100:0}% free, {Number(all.Sum(s => s.AvailableIpAddressCount ?? 0))} free addresses in all");
        var region = api.Context.Region.SystemName;
        var table = new TextTable("id", "name", "vpc", "az", "cidr", "free", "public");
        foreach (var s in result.Items)
        {
            var zone = s.AvailabilityZone is { } z && z.StartsWith(region, StringComparison.Ordinal) ? z[region.Length..] : s.AvailabilityZone;
            var free = $"{Number(s.AvailableIpAddressCount ?? 0)}/{Number(Usable(s))}" + (FreeShare(s) < LowFreeShare ? " LOW" : "");
            table.Row(s.SubnetId, Name(s.Tags), s.VpcId, zone, s.CidrBlock, free, s.MapPublicIpOnLaunch == true ? "yes" : null);
        }
        output.Line($"az: {region}+; free: available/usable addresses (AWS keeps 5 per subnet)");
        return output.Table(table).Page(result.Items.Count, result.Snapshot.Truncated ? null : all.Count, result.Next, page).ToString();
    }

    private static Task<(List<Subnet>, bool)> ReadSubnetsAsync(Ec2Api api, string? vpc, CancellationToken cancellationToken) =>
        ReadAllAsync(token =>
        {
            var request = new DescribeSubnetsRequest { MaxResults = 1000, NextToken = token };
            if (vpc is not null) request.Filters = [new Filter("vpc-id", [vpc])];
            return api.CallAsync("DescribeSubnets", request, (c, r, t) => c.DescribeSubnetsAsync(r, t), null, null, cancellationToken);
        }, r => (r.Subnets, r.NextToken), cancellationToken);

    // Follows NextToken up to MaxPages; true when more remained.
    private static async Task<(List<T> Items, bool Truncated)> ReadAllAsync<TResponse, T>(Func<string?, Task<TResponse>> fetch,
        Func<TResponse, (List<T>? Items, string? Next)> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? token = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (page, next) = read(await fetch(token).ConfigureAwait(false));
            items.AddRange(page ?? []);
            token = string.IsNullOrEmpty(next) ? null : next;
            if (token is null) return (items, false);
        }
        return (items, true);
    }

    private static string Rules(List<IpPermission>? rules, bool inbound, IReadOnlyDictionary<string, string> names) =>
        rules is { Count: > 0 } ? string.Join("; ", rules.Select(r => RuleSummary.Describe(r, inbound, names))) : "none";

    private static string? VpcId(string? vpcId)
    {
        var vpc = string.IsNullOrWhiteSpace(vpcId) ? null : vpcId.Trim();
        return vpc is null || vpc.StartsWith("vpc-", StringComparison.Ordinal) ? vpc
            : throw new ToolException($"vpc_id '{vpc}' is not a VPC id (vpc-…); ec2_vpc_list shows them.");
    }

    private static int Usable(Subnet s)
    {
        var slash = s.CidrBlock?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && int.TryParse(s.CidrBlock.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 16 and <= 28
            ? (1 << (32 - bits)) - 5
            : 0;
    }

    private static double FreeShare(Subnet s) => Usable(s) is > 0 and var usable ? (double)(s.AvailableIpAddressCount ?? 0) / usable : 1;

    private static string? Name(List<Tag>? tags) => tags?.FirstOrDefault(t => t.Key == "Name")?.Value;

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Plus<T>(Snapshot<T> snapshot) => snapshot.Truncated ? "+" : "";
}
