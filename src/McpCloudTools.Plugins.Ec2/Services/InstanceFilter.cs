using Amazon.EC2.Model;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// The filters of <c>ec2_instance_list</c>, split by where they run. Every name-like filter follows the one rule
/// (<see cref="ToolParams.NameFilter"/>: any case; part of the value, or a whole-value pattern with <c>*</c>): the type
/// goes to EC2 translated into EC2's own filter (instance types are lower-case, and a part becomes <c>*part*</c>); the
/// tag key goes to EC2 as it is (keys are identifiers), the tag value and the name are matched here, since EC2 compares
/// values case-sensitively. State is applied here after counting, so the counts by state cover everything the other
/// filters match.
/// </summary>
/// <param name="States">Wanted states; empty for all.</param>
/// <param name="Type">Instance type (<c>t3.*</c>).</param>
/// <param name="TagKey">Tag key.</param>
/// <param name="TagValue">Tag value; null to match any value of <paramref name="TagKey"/>.</param>
/// <param name="VpcId">VPC id.</param>
/// <param name="Name">Substring of the Name tag (or of the id), any case.</param>
public sealed record InstanceFilter(IReadOnlyList<string> States, string? Type, string? TagKey, string? TagValue, string? VpcId, string? Name)
{
    /// <summary>Validates and normalises the tool arguments.</summary>
    public static InstanceFilter Parse(string? state, string? type, string? tag, string? vpcId, string? name)
    {
        string? key = null, value = null;
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var equals = tag.IndexOf('=', StringComparison.Ordinal);
            (key, value) = equals < 0 ? (tag.Trim(), null) : (tag[..equals].Trim(), tag[(equals + 1)..].Trim());
            if (key.Length == 0)
                throw new ToolException($"tag '{tag}' has no key; use key or key=value (e.g. env=prod, or team to match any value).");
        }
        var vpc = Blank(vpcId);
        if (vpc is not null && !vpc.StartsWith("vpc-", StringComparison.Ordinal))
            throw new ToolException($"vpc_id '{vpc}' is not a VPC id (vpc-…); ec2_vpc_list shows them.");
        return new(InstanceStates.Parse(state), Blank(type), key, value, vpc, Blank(name));
    }

    /// <summary>The filters EC2 applies.</summary>
    public List<Filter> Ec2Filters()
    {
        var filters = new List<Filter>();
        if (Type is not null) filters.Add(new Filter("instance-type", [Ec2Pattern(Type)]));
        if (TagKey is not null) filters.Add(new Filter("tag-key", [TagKey]));
        if (VpcId is not null) filters.Add(new Filter("vpc-id", [VpcId]));
        return filters;
    }

    /// <summary>True when the row passes the name filter (its Name tag or its id) and the tag value filter (counted).</summary>
    public bool MatchesName(InstanceRow row, IEnumerable<Tag>? tags) =>
        (Name is null || ToolParams.NameMatches(row.Name, Name) || ToolParams.NameMatches(row.Id, Name))
        && (TagValue is null || tags?.Any(t => t.Key == TagKey && ToolParams.NameMatches(t.Value, TagValue)) == true);

    /// <summary>
    /// The name-filter rule as an EC2 filter value, for values that are all lower-case (instance types): a part becomes
    /// <c>*part*</c>, a pattern stays (EC2's <c>*</c> means the same); the rule's characters exclude EC2's <c>?</c> and <c>\</c>.
    /// </summary>
    public static string Ec2Pattern(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var lower = filter.ToLowerInvariant();
        return lower.Contains('*', StringComparison.Ordinal) ? lower : $"*{lower}*";
    }

    /// <summary>True when the row passes the state filter (listed).</summary>
    public bool MatchesState(InstanceRow row) => States.Count == 0 || States.Contains(row.State);

    /// <summary>Every filter in one string, for cursor scopes.</summary>
    public string Scope => string.Join('|', string.Join(',', States.Order(StringComparer.Ordinal)), Type, TagKey, TagValue, VpcId, Name);

    /// <summary>The filters EC2 cannot apply, e.g. <c>name, state</c>.</summary>
    public string? LocalFilters => string.Join(", ", new[] { Name is null ? null : "name", TagValue is null ? null : "tag value", States.Count == 0 ? null : "state" }
        .OfType<string>()) is { Length: > 0 } local ? local : null;

    /// <summary>The other filters as the header shows them, e.g. <c> matching type=t3.*, name~web</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Type is not null) parts.Add($"type={Type}");
        if (TagKey is not null) parts.Add(TagValue is null ? $"tag {TagKey}" : $"tag {TagKey}={TagValue}");
        if (VpcId is not null) parts.Add($"vpc={VpcId}");
        if (Name is not null) parts.Add($"name~{Name}");
        return parts.Count == 0 ? "" : " matching " + string.Join(", ", parts);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
