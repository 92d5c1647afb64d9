using System.Collections.Concurrent;
using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>
/// <c>eks_pod_list</c>. The counts at the top and "unhealthy first" need every pod, so the first call scans the
/// whole selection with Kubernetes <c>limit</c>/<c>continue</c> in pages of 500 (as server-side Table rows, reading
/// whole only the pods that are not running and ready; see <see cref="ScanTableAsync"/>) and keeps the compact rows as a
/// snapshot for two minutes; the tool's own <c>limit</c>/<c>cursor</c> then page that snapshot, so each pod is seen
/// exactly once and in one consistent order. A cursor whose snapshot has expired triggers a fresh scan and says so.
/// </summary>
public sealed class PodListService(KubeConnections connections, TimeProvider time)
{
    private static readonly TimeSpan SnapshotLife = TimeSpan.FromMinutes(2);
    private const int MaxSnapshots = 16;
    private const int DetailMax = 90;

    /// <summary>Pods read whole after a table scan at most; past it, one plain listing costs fewer requests than a read per pod.</summary>
    private const int ObjectReadMax = 250;

    /// <summary>Pod reads in flight at once after a table scan.</summary>
    private const int ObjectReadParallel = 8;
    private readonly ConcurrentDictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);

    private sealed record Snapshot(string Id, IReadOnlyList<PodRow> Rows, int Scanned, bool Capped, DateTimeOffset At);

    /// <summary>The page of pods.</summary>
    public async Task<string> ListAsync(ClusterTarget target, string? ns, string? labelSelector, int? limit, string? cursor, CancellationToken ct)
    {
        var page = Paging.Read(limit, cursor, 50, 500);
        var scope = $"eks_pod_list|{target.Cluster.Id}|{ns}|{labelSelector}";
        var (snapshotId, offset) = ParseCursor(Paging.Decode(page.Cursor, scope));
        var now = time.GetUtcNow();
        var rescanned = false;
        if (snapshotId is null || !_snapshots.TryGetValue(snapshotId, out var snapshot) || now - snapshot.At > SnapshotLife)
        {
            rescanned = snapshotId is not null;
            snapshot = await ScanAsync(target, ns, labelSelector, now, ct).ConfigureAwait(false);
            Keep(snapshot, now);
        }

        var rows = snapshot.Rows;
        if (offset > rows.Count) offset = rows.Count;
        var items = rows.Skip(offset).Take(page.Limit).ToList();
        var end = offset + items.Count;
        var next = end < rows.Count ? Paging.Encode(scope, $"{snapshot.Id}:{end}") : null;

        var output = new ToolOutput();
        var where = ns is null ? "all namespaces" : $"namespace {ns}";
        if (labelSelector is not null) where += $", {labelSelector}";
        if (offset == 0 || rescanned) output.Line(Summary(target, where, snapshot));
        else output.Line($"pods of {target.Cluster.Id} ({where}), from #{offset + 1}:");
        if (rescanned) output.Line("(the previous listing expired, so the pods were read again; some may have shifted between pages)");
        if (snapshot.Capped) output.Line($"(stopped after {KubeCalls.ScanCap} pods; narrow with namespace or label_selector)");
        if (rows.Count == 0) return output.Line("no pods match").ToString();
        WriteRows(output, items, ns is null, now);
        return output.Page(items.Count, rows.Count, next, page).ToString();
    }

    private async Task<Snapshot> ScanAsync(ClusterTarget target, string? ns, string? labelSelector, DateTimeOffset now, CancellationToken ct)
    {
        var connection = await connections.GetAsync(target, ct).ConfigureAwait(false);
        var (rows, capped) = await ScanTableAsync(connection, ns, labelSelector, ct).ConfigureAwait(false)
            ?? await ScanObjectsAsync(connection, ns, labelSelector, ct).ConfigureAwait(false);

        // Unhealthy first; within each part by namespace then name, so that rows group by namespace.
        var ordered = rows.OrderBy(r => r.Unhealthy ? 0 : 1).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        return new Snapshot(Guid.NewGuid().ToString("N")[..8], ordered, rows.Count, capped, now);
    }

    /// <summary>
    /// The cheap scan: every pod as the API server prints it (a Table row with its metadata, about a third of the
    /// pod's bytes). A pod the row shows running with every container ready is healthy and the row says all the list
    /// shows of it; every other pod is read whole, because its status, reason and detail need the object. Null when the
    /// server prints no tables or more than <see cref="ObjectReadMax"/> pods need reading (then a plain listing is cheaper).
    /// </summary>
    private static async Task<(List<PodRow> Rows, bool Capped)?> ScanTableAsync(KubeConnection connection, string? ns, string? labelSelector, CancellationToken ct)
    {
        var rows = new List<PodRow>();
        var others = new List<PodTableRow>();
        string? token = null;
        var scanned = 0;
        var capped = false;
        do
        {
            var continueToken = token;
            var page = await KubeCalls.RunAsync(connection, Listing(ns, labelSelector), null,
                () => connection.Api.ListPodTableAsync(ns, labelSelector, continueToken, KubeCalls.ScanPageSize, ct)).ConfigureAwait(false);
            if (page is null) return null;
            foreach (var r in page.Rows)
            {
                if (r.Status == "Running" && !r.Deleting && AllReady(r.Ready))
                    rows.Add(new PodRow(r.Namespace, r.Name, r.Ready, "Running", "", r.Restarts, r.Created, r.Node, false));
                else if (others.Count < ObjectReadMax) others.Add(r);
                else return null;
            }
            scanned += page.Rows.Count;
            token = page.Continue;
            if (scanned >= KubeCalls.ScanCap && token is not null)
            {
                capped = true;
                break;
            }
        }
        while (token is not null);

        var read = new PodRow?[others.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, others.Count), new ParallelOptions { MaxDegreeOfParallelism = ObjectReadParallel, CancellationToken = ct },
            async (i, token) => read[i] = await ReadRowAsync(connection, others[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        rows.AddRange(read.OfType<PodRow>());
        return (rows, capped);
    }

    /// <summary>The full scan: every pod object, for servers that print no tables.</summary>
    private static async Task<(List<PodRow> Rows, bool Capped)> ScanObjectsAsync(KubeConnection connection, string? ns, string? labelSelector, CancellationToken ct)
    {
        var rows = new List<PodRow>();
        string? token = null;
        var capped = false;
        do
        {
            var continueToken = token;
            var list = await KubeCalls.RunAsync(connection, Listing(ns, labelSelector), null, () => connection.Api.ListPodsAsync(ns, labelSelector, continueToken, KubeCalls.ScanPageSize, ct)).ConfigureAwait(false);
            rows.AddRange(list.Items.Select(PodStatus.Row));
            token = list.Metadata?.ContinueProperty is { Length: > 0 } c ? c : null;
            if (rows.Count >= KubeCalls.ScanCap && token is not null)
            {
                capped = true;
                break;
            }
        }
        while (token is not null);
        return (rows, capped);
    }

    // A pod deleted since the table was read is left out, as a listing a moment later would.
    private static async Task<PodRow?> ReadRowAsync(KubeConnection connection, PodTableRow row, CancellationToken ct)
    {
        var pod = await KubeCalls.RunAsync(connection, $"pod {row.Namespace}/{row.Name}", null, async () =>
        {
            try
            {
                return await connection.Api.ReadPodAsync(row.Namespace, row.Name, ct).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }).ConfigureAwait(false);
        return pod is null ? null : PodStatus.Row(pod);
    }

    private static string Listing(string? ns, string? labelSelector) => KubeCalls.Listing(ns is null ? "pods" : $"pods in namespace {ns}", labelSelector);

    // "3/3": every container (sidecars included) ready.
    private static bool AllReady(string ready)
    {
        var slash = ready.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && ready.AsSpan(0, slash).SequenceEqual(ready.AsSpan(slash + 1)) && ready.AsSpan(0, slash) is not "0";
    }

    private void Keep(Snapshot snapshot, DateTimeOffset now)
    {
        foreach (var old in _snapshots.Values.Where(s => now - s.At > SnapshotLife)) _snapshots.TryRemove(old.Id, out _);
        while (_snapshots.Count >= MaxSnapshots && _snapshots.Values.MinBy(s => s.At) is { } oldest) _snapshots.TryRemove(oldest.Id, out _);
        _snapshots[snapshot.Id] = snapshot;
    }

    private static string Summary(ClusterTarget target, string where, Snapshot snapshot)
    {
        var unhealthy = snapshot.Rows.Where(r => r.Unhealthy).ToList();
        var healthy = snapshot.Rows.Where(r => !r.Unhealthy);
        static string Counts(IEnumerable<PodRow> rows) => Fmt.Counts(rows.GroupBy(r => r.Status).OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Count())));
        var line = $"pods of {target.Cluster.Id} ({where}): {snapshot.Rows.Count}; unhealthy {unhealthy.Count}";
        if (unhealthy.Count > 0) line += $" ({Counts(unhealthy)})";
        var rest = Counts(healthy);
        return rest.Length > 0 ? $"{line}; {rest}" : line;
    }

    /// <summary>
    /// Compact rows: grouped by namespace (one heading per group instead of a column), the node names' shared domain
    /// suffix stated once, and empty columns left out by the table.
    /// </summary>
    private static void WriteRows(ToolOutput output, List<PodRow> items, bool groupByNamespace, DateTimeOffset now)
    {
        var suffix = CommonDomainSuffix(items.Select(r => r.Node).Where(n => n.Length > 0).Distinct().ToList());
        if (suffix.Length > 0) output.Line($"(node names end in {suffix})");
        foreach (var group in items.GroupAdjacentBy(r => groupByNamespace ? r.Namespace : ""))
        {
            if (groupByNamespace) output.Line($"ns {group.Key}:");
            var table = new TextTable("name", "ready", "status", "restarts", "age", "node", "detail");
            foreach (var r in group)
                table.Row(r.Name, r.Ready, r.Status, r.Restarts.ToString(CultureInfo.InvariantCulture), Fmt.Age(r.Created, now),
                    suffix.Length > 0 && r.Node.EndsWith(suffix, StringComparison.Ordinal) ? r.Node[..^suffix.Length] : r.Node,
                    Fmt.Clip(r.Detail, DetailMax - 1));
            output.Table(table);
        }
    }

    /// <summary>The longest <c>.domain</c> suffix all names share (<c>.ec2.internal</c>), or empty.</summary>
    public static string CommonDomainSuffix(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return "";
        var first = names[0];
        var dot = first.IndexOf('.', StringComparison.Ordinal);
        while (dot > 0)
        {
            var candidate = first[dot..];
            if (names.All(n => n.EndsWith(candidate, StringComparison.Ordinal) && n.Length > candidate.Length)) return candidate;
            dot = first.IndexOf('.', dot + 1);
        }
        return "";
    }

    private static (string? Snapshot, int Offset) ParseCursor(string? value)
    {
        if (value is null) return (null, 0);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? (value[..colon], offset)
            : throw new ToolException("This cursor is damaged. Call eks_pod_list again without cursor.");
    }
}

/// <summary>Grouping of consecutive items.</summary>
internal static class GroupingExtensions
{
    /// <summary>Runs of consecutive items with the same key.</summary>
    public static IEnumerable<IGrouping<TKey, T>> GroupAdjacentBy<T, TKey>(this IEnumerable<T> items, Func<T, TKey> key)
    {
        List<T>? run = null;
        TKey current = default!;
        foreach (var item in items)
        {
            var k = key(item);
            if (run is not null && EqualityComparer<TKey>.Default.Equals(k, current))
            {
                run.Add(item);
                continue;
            }
            if (run is not null) yield return new Run<TKey, T>(current, run);
            run = [item];
            current = k;
        }
        if (run is not null) yield return new Run<TKey, T>(current, run);
    }

    private sealed class Run<TKey, T>(TKey key, List<T> items) : IGrouping<TKey, T>
    {
        public TKey Key => key;

        public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
