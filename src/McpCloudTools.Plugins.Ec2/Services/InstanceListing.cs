using Amazon.EC2.Model;
using McpCloudTools.Plugins.Ec2.Client;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// One <c>ec2_instance_list</c> listing, read from EC2 as pages need it: 1000 instances a DescribeInstances call
/// (EC2-side filters applied), counted by state after the name filter, kept as rows after the state filter. A tool
/// call reads until it has the rows its page needs, reading at least one EC2 page and at most
/// <see cref="PagesPerCall"/>, so the first page of a huge fleet costs one call while a rare name still gets found.
/// Counts cover what was read, and the listing says so until it is complete. A listing complete after its first
/// read (up to 1000 instances, or more behind filters) is sorted: instances on the move first, then by name; a
/// longer one keeps EC2's order, since later pages must not reshuffle earlier ones.
/// </summary>
public sealed class InstanceListing(InstanceFilter filter, DateTimeOffset takenAt)
{
    /// <summary>Most EC2 pages one tool call reads (10,000 instances).</summary>
    public const int PagesPerCall = 10;

    /// <summary>Instances per DescribeInstances call (EC2's maximum: the per-call cost is small next to the per-instance one).</summary>
    public const int PageSize = 1000;

    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _reads;

    /// <summary>The filters.</summary>
    public InstanceFilter Filter { get; } = filter;

    /// <summary>When the first page was read.</summary>
    public DateTimeOffset TakenAt { get; } = takenAt;

    /// <summary>Rows passing every filter, in listing order.</summary>
    public List<InstanceRow> Rows { get; } = [];

    /// <summary>Instances by state among those read that pass the EC2 and name filters.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Instances read from EC2 so far.</summary>
    public int Scanned { get; private set; }

    /// <summary>DescribeInstances calls made so far.</summary>
    public int Calls { get; private set; }

    /// <summary>Where EC2 continues, or null once everything was read.</summary>
    public string? NextToken { get; private set; }

    /// <summary>True once every page was read.</summary>
    public bool Complete => Calls > 0 && NextToken is null;

    /// <summary>Serialises the reads of concurrent calls holding the same cursor.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Reads EC2 pages until <paramref name="rowsNeeded"/> rows are there, the end, or the per-call bound.</summary>
    public async Task ReadAsync(Ec2Api api, int rowsNeeded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        _reads++;
        for (var page = 0; page < PagesPerCall && !Complete && (page == 0 || Rows.Count < rowsNeeded); page++)
        {
            var request = new DescribeInstancesRequest { MaxResults = PageSize, NextToken = NextToken, Filters = Filter.Ec2Filters() };
            var response = await api.CallAsync("DescribeInstances", request, (c, r, ct) => c.DescribeInstancesAsync(r, ct),
                null, null, cancellationToken).ConfigureAwait(false);
            Calls++;
            foreach (var instance in (response.Reservations ?? []).SelectMany(r => r.Instances ?? []))
            {
                Scanned++;
                var row = InstanceRow.From(instance);
                if (!Filter.MatchesName(row, instance.Tags)) continue;
                _counts[row.State] = _counts.GetValueOrDefault(row.State) + 1;
                if (Filter.MatchesState(row)) Rows.Add(row);
            }
            NextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        if (Complete && _reads == 1)
            Rows.Sort((a, b) => InstanceStates.Rank(a.State).CompareTo(InstanceStates.Rank(b.State)) is var byState and not 0
                ? byState
                : string.CompareOrdinal(a.Name ?? "\uffff", b.Name ?? "\uffff") is var byName and not 0 ? byName : string.CompareOrdinal(a.Id, b.Id));
    }
}
