namespace McpCloudTools.Sandbox;

/// <summary>Path labels of a matched restJson1 route, percent-decoded.</summary>
public sealed class RouteValues(IReadOnlyDictionary<string, string> values)
{
    /// <summary>A label's value (e.g. <c>FunctionName</c>).</summary>
    public string this[string name] => values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"The route has no label '{name}'.");
}

/// <summary>
/// Routes restJson1 requests by method and path template (<c>/2015-03-31/functions/{FunctionName}</c>,
/// greedy <c>{Key+}</c>), with the trailing slash optional as Lambda accepts both forms. Labels are matched on the
/// raw path segments, so an escaped <c>%2F</c> stays inside its label.
/// </summary>
public sealed class RestJsonRouter<THandler> where THandler : class
{
    private readonly List<(string Method, string[] Segments, THandler Handler)> _routes = [];

    /// <summary>Adds a route.</summary>
    public RestJsonRouter<THandler> Map(string method, string template, THandler handler)
    {
        ArgumentNullException.ThrowIfNull(template);
        _routes.Add((method.ToUpperInvariant(), Split(template), handler));
        return this;
    }

    /// <summary>Finds the route for a request; null when none matches (the caller answers 404 / UnknownOperation).</summary>
    public (THandler Handler, RouteValues Values)? Match(string method, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        var question = rawPath.IndexOf('?', StringComparison.Ordinal);
        var segments = Split(question < 0 ? rawPath : rawPath[..question]);
        foreach (var (routeMethod, template, handler) in _routes)
        {
            if (!string.Equals(routeMethod, method, StringComparison.OrdinalIgnoreCase)) continue;
            if (TryMatch(template, segments) is { } values) return (handler, new RouteValues(values));
        }
        return null;
    }

    private static Dictionary<string, string>? TryMatch(string[] template, string[] segments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Length; i++)
        {
            var part = template[i];
            var isLabel = part.StartsWith('{') && part.EndsWith('}');
            if (isLabel && part.EndsWith("+}", StringComparison.Ordinal))
            {
                if (i >= segments.Length) return null;
                values[part[1..^2]] = Uri.UnescapeDataString(string.Join('/', segments[i..]));
                return values;
            }
            if (i >= segments.Length) return null;
            if (isLabel) values[part[1..^1]] = Uri.UnescapeDataString(segments[i]);
            else if (!string.Equals(part, segments[i], StringComparison.Ordinal)) return null;
        }
        return template.Length == segments.Length ? values : null;
    }

    // Empty segments are dropped, which makes "/functions" and "/functions/" the same route.
    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
