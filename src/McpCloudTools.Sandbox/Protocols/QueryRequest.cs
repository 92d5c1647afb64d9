using System.Text;

namespace McpCloudTools.Sandbox;

/// <summary>
/// Parameters of a Query/EC2 request (form body, or query string for GET and presigned calls), with the list
/// conventions: <c>InstanceId.1</c>, <c>Filter.1.Name</c> / <c>Filter.1.Value.1</c>, <c>Tags.member.1.Key</c>.
/// </summary>
public sealed class QueryRequest
{
    private readonly Dictionary<string, string> _values;

    private QueryRequest(Dictionary<string, string> values) => _values = values;

    /// <summary>All parameters (last value wins for repeated keys).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The <c>Action</c> parameter.</summary>
    public string? Action => Get("Action");

    /// <summary>Parses a form-encoded body plus the URL query (the body wins on conflicts).</summary>
    public static QueryRequest Parse(string rawTarget, ReadOnlySpan<byte> formBody)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0) Add(values, rawTarget[(question + 1)..]);
        if (!formBody.IsEmpty) Add(values, Encoding.UTF8.GetString(formBody));
        return new QueryRequest(values);
    }

    /// <summary>A parameter, or null.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>A parameter the operation requires; missing answers <c>MissingParameter</c> as AWS does.</summary>
    public string Required(string name) => Get(name) is { Length: > 0 } value
        ? value
        : throw new SandboxApiException(400, "MissingParameter",
            $"The request must contain the parameter {name}");

    /// <summary>An integer parameter, or null; a non-number answers <c>InvalidParameterValue</c>.</summary>
    public int? GetInt(string name) => Get(name) is not { } text ? null
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SandboxApiException(400, "InvalidParameterValue", $"Value ({text}) for parameter {name} is invalid.");

    /// <summary>A flat list <c>{prefix}.1</c>, <c>{prefix}.2</c>… in index order.</summary>
    public IReadOnlyList<string> GetList(string prefix) =>
        Indexed(prefix).Where(e => e.Tail.Length == 0).OrderBy(e => e.Index).Select(e => e.Value).ToList();

    /// <summary>EC2 filters: <c>Filter.N.Name</c> with values <c>Filter.N.Value.M</c>.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> GetFilters(string prefix = "Filter")
    {
        var filters = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in Indexed(prefix).GroupBy(e => e.Index).OrderBy(g => g.Key))
        {
            var name = group.FirstOrDefault(e => e.Tail == "Name").Value;
            if (name is null) continue;
            var values = group.Where(e => e.Tail.StartsWith("Value.", StringComparison.Ordinal))
                .OrderBy(e => int.TryParse(e.Tail.AsSpan(6), out var i) ? i : 0).Select(e => e.Value).ToList();
            filters.Add((name, values));
        }
        return filters;
    }

    /// <summary>Entries <c>{prefix}.{index}[.{rest}]</c> sorted by index (for structures in lists).</summary>
    public IEnumerable<(int Index, string Tail, string Value)> Indexed(string prefix)
    {
        var start = prefix + ".";
        foreach (var (key, value) in _values)
        {
            if (!key.StartsWith(start, StringComparison.Ordinal)) continue;
            var tail = key[start.Length..];
            var dot = tail.IndexOf('.', StringComparison.Ordinal);
            var indexText = dot < 0 ? tail : tail[..dot];
            if (!int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                continue;
            yield return (index, dot < 0 ? "" : tail[(dot + 1)..], value);
        }
    }

    private static void Add(Dictionary<string, string> values, string encoded)
    {
        foreach (var part in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = SigV4Canonicalizer.Decode(equals < 0 ? part : part[..equals]);
            values[key] = equals < 0 ? "" : SigV4Canonicalizer.Decode(part[(equals + 1)..]);
        }
    }
}
