using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// Objects in the API server's list order (the storage key <c>namespace/name</c>, ordinal; <c>/name</c> for
/// cluster-scoped kinds) with their keys, so that a page is found by binary search instead of a scan of every object:
/// a namespace is one contiguous range of keys, and a <c>continue</c> token names the last key served.
/// </summary>
public sealed class KubeKeyedList<T>
{
    private readonly string[] _keys;
    private readonly T[] _items;

    internal KubeKeyedList(string[] keys, T[] items) => (_keys, _items) = (keys, items);

    /// <summary>The number of objects.</summary>
    public int Count => _items.Length;

    /// <summary>The object at <paramref name="index"/>.</summary>
    public T this[int index] => _items[index];

    /// <summary>The key of the object at <paramref name="index"/>.</summary>
    public string KeyAt(int index) => _keys[index];

    /// <summary>
    /// The index range to list: the objects of <paramref name="ns"/> (all when null) whose key comes after
    /// <paramref name="after"/> (the last key of the previous page, when continuing).
    /// </summary>
    public (int Start, int End) Range(string? ns, string? after)
    {
        var (start, end) = ns is null ? (0, _keys.Length) : (LowerBound(ns + "/"), LowerBound(ns + "0")); // '0' follows '/'
        if (after is not null)
        {
            start = Math.Max(start, UpperBound(after));
        }

        return (start, Math.Max(start, end));
    }

    /// <summary>The first index whose key is ≥ <paramref name="key"/>.</summary>
    private int LowerBound(string key)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_keys[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>The first index whose key is &gt; <paramref name="key"/>.</summary>
    private int UpperBound(string key)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_keys[mid], key) <= 0) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}

/// <summary>Builds <see cref="KubeKeyedList{T}"/>s.</summary>
public static class KubeKeyedList
{
    private static string Key(V1ObjectMeta meta) => meta.NamespaceProperty + "/" + meta.Name;

    /// <summary>The objects of an already key-ordered store (keys and values of a sorted dictionary), as they are.</summary>
    public static KubeKeyedList<T> Ordered<T>(string[] keys, T[] items) => new(keys, items);

    /// <summary>The objects in key order (sorted here unless they already are).</summary>
    public static KubeKeyedList<T> Of<T>(IEnumerable<T> objects, Func<T, V1ObjectMeta> meta)
    {
        var items = objects.ToArray();
        var keys = Array.ConvertAll(items, i => Key(meta(i)));
        for (var i = 1; i < keys.Length; i++)
        {
            if (string.CompareOrdinal(keys[i - 1], keys[i]) > 0)
            {
                Array.Sort(keys, items, StringComparer.Ordinal);
                break;
            }
        }

        return new(keys, items);
    }
}
