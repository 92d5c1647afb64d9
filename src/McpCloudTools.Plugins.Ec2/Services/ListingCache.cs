using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>A listing read once and paged from memory.</summary>
/// <param name="Items">Every item, in listing order.</param>
/// <param name="Truncated">True when reading stopped before the end (the total is then unknown).</param>
/// <param name="TakenAt">When it was read.</param>
public sealed record Snapshot<T>(IReadOnlyList<T> Items, bool Truncated, DateTimeOffset TakenAt);

/// <summary>One page of a <see cref="Snapshot{T}"/>.</summary>
/// <param name="Items">This page's items.</param>
/// <param name="Snapshot">The whole listing (for counts and totals).</param>
/// <param name="Next">Cursor of the next page, or null on the last.</param>
public sealed record SnapshotPage<T>(IReadOnlyList<T> Items, Snapshot<T> Snapshot, string? Next);

/// <summary>
/// Listings kept between pages. A listing that must be sorted or counted reads EC2 once; its later pages come from
/// the kept copy, so paging sees every item exactly once whatever changes meanwhile, and costs no EC2 calls. Only
/// listings longer than one page are kept, for <see cref="Lifetime"/>, at most <see cref="Capacity"/> at a time.
/// </summary>
public sealed class ListingCache(TimeProvider time)
{
    /// <summary>How long a listing's cursors stay valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Listings kept at once, oldest dropped first (a 10,000-instance listing is about 2 MB).</summary>
    public const int Capacity = 16;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Stored, object Listing)> _listings = new(StringComparer.Ordinal);

    /// <summary>The clock listings are stamped with.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Keeps <paramref name="listing"/> and returns its id (for the cursor).</summary>
    public string Add(object listing)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _listings)
        {
            if (now - entry.Stored > Lifetime) _listings.TryRemove(key, out _);
        }
        while (_listings.Count >= Capacity && _listings.MinBy(e => e.Value.Stored) is { Key: { } oldest })
        {
            _listings.TryRemove(oldest, out _);
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _listings[id] = (now, listing);
        return id;
    }

    /// <summary>The listing <paramref name="id"/>; a missing or expired one is an error saying how to start over.</summary>
    public T Get<T>(string id) where T : class =>
        _listings.TryGetValue(id, out var entry) && time.GetUtcNow() - entry.Stored <= Lifetime && entry.Listing is T listing
            ? listing
            : throw new ToolException($"This cursor's listing is no longer kept (listings are kept {Lifetime.TotalMinutes:0} minutes "
                + "after their first page). Call again without cursor for a fresh listing.");

    /// <summary>
    /// A page of a listing: from the kept copy when <paramref name="page"/> has a cursor of <paramref name="scope"/>,
    /// else freshly read with <paramref name="read"/> (and kept if it has more than one page).
    /// </summary>
    public async Task<SnapshotPage<T>> PageAsync<T>(string scope, PageRequest page,
        Func<CancellationToken, Task<(IReadOnlyList<T> Items, bool Truncated)>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        Snapshot<T> snapshot;
        string? id = null;
        var offset = 0;
        if (Paging.Decode(page.Cursor, scope) is { } value)
        {
            (id, offset) = ParseCursor(value);
            snapshot = Get<Snapshot<T>>(id);
        }
        else
        {
            var (items, truncated) = await read(cancellationToken).ConfigureAwait(false);
            snapshot = new Snapshot<T>(items, truncated, time.GetUtcNow());
        }
        var pageItems = snapshot.Items.Skip(offset).Take(page.Limit).ToList();
        var end = offset + pageItems.Count;
        string? next = null;
        if (end < snapshot.Items.Count)
        {
            id ??= Add(snapshot);
            next = Paging.Encode(scope, Cursor(id, end));
        }
        return new SnapshotPage<T>(pageItems, snapshot, next);
    }

    /// <summary>The cursor value of a kept listing and an offset in it.</summary>
    public static string Cursor(string id, int offset) => string.Create(CultureInfo.InvariantCulture, $"{id}:{offset}");

    /// <summary>The listing id and offset of a cursor value made by <see cref="Cursor"/>.</summary>
    public static (string Id, int Offset) ParseCursor(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? (value[..colon], offset)
            : throw new ToolException("This cursor is damaged. Call again without cursor to start over.");
    }
}
