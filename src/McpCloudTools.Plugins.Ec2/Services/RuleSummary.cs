using System.Globalization;
using Amazon.EC2.Model;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// Security group rules in one readable line each (<c>tcp 22 from 0.0.0.0/0</c>), and the exposures that matter:
/// a sensitive port (SSH, RDP, databases, caches, admin APIs) open to the whole internet (0.0.0.0/0 or ::/0).
/// </summary>
public static class RuleSummary
{
    /// <summary>Ports that should never face the internet, with the service a reader recognises.</summary>
    public static IReadOnlyDictionary<int, string> SensitivePorts { get; } = new Dictionary<int, string>
    {
        [22] = "ssh", [23] = "telnet", [445] = "smb", [1433] = "mssql", [1521] = "oracle", [2375] = "docker",
        [2376] = "docker-tls", [3306] = "mysql", [3389] = "rdp", [5432] = "postgres", [5439] = "redshift",
        [5601] = "kibana", [5984] = "couchdb", [6379] = "redis", [9042] = "cassandra", [9200] = "elasticsearch",
        [11211] = "memcached", [27017] = "mongodb",
    };

    /// <summary>True for the any-address CIDRs.</summary>
    public static bool IsWorld(string? cidr) => cidr is "0.0.0.0/0" or "::/0";

    /// <summary>
    /// The sensitive services an inbound rule set opens to the internet, e.g. <c>ssh 22</c>, <c>all ports</c>, in port
    /// order and each once.
    /// </summary>
    public static IReadOnlyList<string> Exposures(IEnumerable<IpPermission>? inbound)
    {
        var found = new SortedDictionary<int, string>();
        foreach (var rule in inbound ?? [])
        {
            var world = (rule.Ipv4Ranges ?? []).Any(r => IsWorld(r.CidrIp)) || (rule.Ipv6Ranges ?? []).Any(r => IsWorld(r.CidrIpv6));
            if (!world || rule.IpProtocol is "icmp" or "icmpv6" or "1" or "58") continue;
            var (from, to) = Ports(rule);
            if (from is null || (from <= 1 && to >= 65535))
            {
                found[-1] = "all ports";
                continue;
            }
            foreach (var (port, name) in SensitivePorts)
            {
                if (port >= from && port <= to) found[port] = $"{name} {port}";
            }
        }
        return [.. found.Values];
    }

    /// <summary>One rule: <c>tcp 443 from 0.0.0.0/0, ::/0</c>, <c>all from sg-1 (web)</c>, <c>udp 1000-2000 to 10.0.0.0/8</c>.</summary>
    public static string Describe(IpPermission rule, bool inbound, IReadOnlyDictionary<string, string>? groupNames = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var peers = new List<string>();
        peers.AddRange((rule.Ipv4Ranges ?? []).Select(r => r.CidrIp).OfType<string>());
        peers.AddRange((rule.Ipv6Ranges ?? []).Select(r => r.CidrIpv6).OfType<string>());
        peers.AddRange((rule.UserIdGroupPairs ?? []).Select(g => g.GroupId is { } id && groupNames?.GetValueOrDefault(id) is { } name
            ? $"{id} ({name})" : g.GroupId ?? g.GroupName).OfType<string>());
        peers.AddRange((rule.PrefixListIds ?? []).Select(p => p.Id).OfType<string>());
        return $"{Traffic(rule)} {(inbound ? "from" : "to")} {(peers.Count == 0 ? "nowhere" : string.Join(", ", peers))}";
    }

    private static string Traffic(IpPermission rule)
    {
        var protocol = rule.IpProtocol switch
        {
            "-1" or null => "all",
            "6" => "tcp",
            "17" => "udp",
            "1" => "icmp",
            var p => p,
        };
        if (protocol == "all") return "all";
        var (from, to) = Ports(rule);
        if (protocol is "icmp" or "icmpv6") return protocol;
        return from is null || (from == 0 && to == 65535) ? $"{protocol} all ports"
            : from == to ? string.Create(CultureInfo.InvariantCulture, $"{protocol} {from}")
            : string.Create(CultureInfo.InvariantCulture, $"{protocol} {from}-{to}");
    }

    private static (int? From, int? To) Ports(IpPermission rule) =>
        rule.IpProtocol is "-1" or null || rule.FromPort is null or -1 ? (null, null) : (rule.FromPort, rule.ToPort ?? rule.FromPort);
}
