using System.Buffers.Text;
using System.Text;

namespace McpCloudTools.Core.Output;

/// <summary>A list tool's page request after validation.</summary>
/// <param name="Limit">Items to return.</param>
/// <param name="Cursor">The raw cursor the caller passed, if any.</param>
/// <param name="CappedFrom">The limit asked for when it was above the maximum, else null.</param>
public readonly record struct PageRequest(int Limit, string? Cursor, int? CappedFrom);

/// <summary>
/// The paging contract of every list tool: <c>limit</c> (a default, a hard maximum) and an opaque <c>cursor</c>
/// bound to the listing that issued it, so a cursor passed to another tool or with other filters is refused
/// instead of silently skipping items.
/// </summary>
public static class Paging
{
    /// <summary>Description of the <c>limit</c> parameter for tool signatures.</summary>
    public const string LimitDescription = "Default 50";

    /// <summary>Description of the <c>cursor</c> parameter for tool signatures.</summary>
    public const string CursorDescription = "From the previous page";

    /// <summary>Validates <paramref name="limit"/>: below 1 is an error, above <paramref name="max"/> is capped.</summary>
    public static PageRequest Read(int? limit, string? cursor, int defaultLimit = 50, int max = 500)
    {
        if (limit is < 1)
        {
            throw new ToolException($"limit must be between 1 and {max} (got {limit}); omit it for {defaultLimit}.");
        }

        var wanted = limit ?? defaultLimit;
        return new PageRequest(Math.Min(wanted, max), string.IsNullOrWhiteSpace(cursor) ? null : cursor.Trim(), wanted > max ? wanted : null);
    }

    /// <summary>Makes an opaque cursor carrying <paramref name="value"/> (an offset or an upstream token) for <paramref name="scope"/>.</summary>
    /// <param name="scope">The tool name and every filter that shapes the listing, e.g. <c>eks_pod_list|prod|default|app=web</c>.</param>
    /// <param name="value">What the next call needs to continue.</param>
    public static string Encode(string scope, string value)
    {
        var payload = Encoding.UTF8.GetBytes(value);
        var bytes = new byte[4 + payload.Length];
        BitConverter.TryWriteBytes(bytes, ScopeHash(scope));
        payload.CopyTo(bytes, 4);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The value of a cursor issued for <paramref name="scope"/>, or null when <paramref name="cursor"/> is null.</summary>
    public static string? Decode(string? cursor, string scope)
    {
        if (cursor is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            throw BadCursor();
        }

        if (bytes.Length < 4 || BitConverter.ToUInt32(bytes, 0) != ScopeHash(scope))
        {
            throw BadCursor();
        }

        return Encoding.UTF8.GetString(bytes, 4, bytes.Length - 4);
    }

    /// <summary>The offset of a cursor made by <see cref="Encode(string, int)"/>; 0 without a cursor.</summary>
    public static int DecodeOffset(string? cursor, string scope) =>
        Decode(cursor, scope) is { } v ? int.TryParse(v, out var n) && n >= 0 ? n : throw BadCursor() : 0;

    /// <summary>A cursor carrying an offset.</summary>
    public static string Encode(string scope, int offset) => Encode(scope, offset.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Pages an in-memory, already ordered list: the items of this page and the next cursor (null on the last page).
    /// </summary>
    public static (IReadOnlyList<T> Items, string? Next) Slice<T>(IReadOnlyList<T> all, PageRequest page, string scope)
    {
        var offset = DecodeOffset(page.Cursor, scope);
        if (offset > all.Count)
        {
            throw new ToolException($"The cursor points past the end ({offset} of {all.Count}); the list changed. Call again without cursor.");
        }

        var items = all.Skip(offset).Take(page.Limit).ToList();
        var end = offset + items.Count;
        return (items, end < all.Count ? Encode(scope, end) : null);
    }

    private static ToolException BadCursor() =>
        new("This cursor is damaged or belongs to another listing (other tool or other filters). Call again without cursor to start over.");

    // FNV-1a: enough to tell listings apart; a cursor is not a security boundary.
    private static uint ScopeHash(string scope)
    {
        var hash = 2166136261u;
        foreach (var c in scope)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
