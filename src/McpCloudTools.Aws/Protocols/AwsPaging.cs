using System.Runtime.CompilerServices;

namespace McpCloudTools.Aws;

/// <summary>Bounds on following pages: stop after this many items or pages, whichever comes first.</summary>
/// <param name="MaxItems">Items wanted; null for no item bound.</param>
/// <param name="MaxPages">Pages to fetch at most (a guard against endless or empty-page chains).</param>
public sealed record PageLimits(int? MaxItems = null, int MaxPages = 20);

/// <summary>Items gathered over several pages, and the token to continue from when more remain.</summary>
/// <param name="Items">The items, in service order.</param>
/// <param name="NextToken">Token for the next page, or null when the listing is complete.</param>
/// <param name="Pages">Pages fetched.</param>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, string? NextToken, int Pages)
{
    /// <summary>True when more items remain beyond <see cref="Items"/>.</summary>
    public bool IsTruncated => NextToken is not null;
}

/// <summary>
/// Follows <c>nextToken</c> / <c>NextMarker</c> style paging for any operation, with limits. Ends when the service
/// returns no token, or returns the token it was sent (CloudWatch Logs <c>GetLogEvents</c> signals its end that way,
/// and a repeated token would otherwise loop forever).
/// </summary>
public static class AwsPaging
{
    /// <summary>Yields pages starting at <paramref name="startToken"/>, at most <paramref name="maxPages"/>.</summary>
    /// <param name="fetch">Fetches one page for a token (null for the first page).</param>
    /// <param name="nextToken">Reads the continuation token of a page.</param>
    /// <param name="startToken">Token to resume from, or null.</param>
    /// <param name="maxPages">Page bound.</param>
    /// <param name="cancellationToken">Cancels between and during pages.</param>
    public static async IAsyncEnumerable<TPage> PagesAsync<TPage>(
        Func<string?, CancellationToken, Task<TPage>> fetch, Func<TPage, string?> nextToken, string? startToken,
        int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(nextToken);
        var token = startToken;
        for (var page = 0; page < maxPages; page++)
        {
            var result = await fetch(token, cancellationToken).ConfigureAwait(false);
            yield return result;
            var next = nextToken(result);
            if (string.IsNullOrEmpty(next) || next == token) yield break;
            token = next;
        }
    }

    /// <summary>
    /// Gathers items until <see cref="PageLimits"/> is reached. <paramref name="fetch"/> receives how many items are
    /// still wanted (pass it as the page size) so the last page does not overshoot; if a service returns more than
    /// asked, the whole page is kept rather than dropping items a continuation token would then skip.
    /// </summary>
    public static async Task<PagedResult<TItem>> CollectAsync<TPage, TItem>(
        Func<string?, int?, CancellationToken, Task<TPage>> fetch, Func<TPage, IEnumerable<TItem>?> items,
        Func<TPage, string?> nextToken, PageLimits limits, string? startToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(nextToken);
        ArgumentNullException.ThrowIfNull(limits);
        var gathered = new List<TItem>();
        var token = startToken;
        var pages = 0;
        while (true)
        {
            int? wanted = limits.MaxItems is { } max ? max - gathered.Count : null;
            var page = await fetch(token, wanted, cancellationToken).ConfigureAwait(false);
            pages++;
            gathered.AddRange(items(page) ?? []);
            var next = nextToken(page);
            if (string.IsNullOrEmpty(next) || next == token) return new(gathered, null, pages);
            token = next;
            if (limits.MaxItems is { } cap && gathered.Count >= cap || pages >= limits.MaxPages)
                return new(gathered, token, pages);
        }
    }
}
