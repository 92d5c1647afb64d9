using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>
/// EC2's request conventions shared by every operation: <c>MaxResults</c> (5–1000, not with explicit ids) and
/// <c>NextToken</c> paging, id formats (<c>.Malformed</c>) and existence (<c>.NotFound</c>), and the boolean flags.
/// </summary>
internal static partial class Ec2Paging
{
    /// <summary>One page of <paramref name="items"/> (sorted by <paramref name="key"/>) and the token for the next.</summary>
    /// <remarks>The token carries the last key returned, so paging stays exact when earlier items disappear.</remarks>
    public static (List<T> Page, string? NextToken) Page<T>(QueryRequest query, IEnumerable<T> items, Func<T, string> key,
        bool idsGiven, string idsParameter)
    {
        var max = query.GetInt("MaxResults");
        if (max is not null && idsGiven)
            throw new SandboxApiException(400, "InvalidParameterCombination",
                $"The parameter {idsParameter} cannot be used with the parameter maxResults");
        if (max is < 5 or > 1000)
            throw new SandboxApiException(400, "InvalidParameterValue",
                $"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        var after = query.Get("NextToken") is { Length: > 0 } token ? DecodeToken(token) : null;
        var remaining = after is null ? items : items.Where(i => string.CompareOrdinal(key(i), after) > 0);
        if (max is not { } limit) return (remaining.ToList(), null);
        var page = remaining.Take(limit + 1).ToList();
        if (page.Count <= limit) return (page, null);
        page.RemoveAt(limit);
        return (page, Base64Url.EncodeToString(Encoding.UTF8.GetBytes("ec2:" + key(page[^1]))));
    }

    /// <summary>Checks every id's format; the first bad one answers <c>{code}</c> as EC2 does.</summary>
    public static void CheckIds(IEnumerable<string> ids, string prefix, string malformedCode)
    {
        foreach (var id in ids)
        {
            if (!id.StartsWith(prefix, StringComparison.Ordinal) || !HexSuffix().IsMatch(id.AsSpan(prefix.Length)))
                throw new SandboxApiException(400, malformedCode, $"Invalid id: \"{id}\" (expecting \"{prefix}...\")");
        }
    }

    /// <summary>A boolean flag (<c>DryRun=true</c>); anything but true/false is an error.</summary>
    public static bool Flag(QueryRequest query, string name) => query.Get(name) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new SandboxApiException(400, "InvalidParameterValue", $"Value ({other}) for parameter {name} is invalid. Expecting true or false."),
    };

    private static string DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith("ec2:", StringComparison.Ordinal)) return text[4..];
        }
        catch (FormatException)
        {
            // Answered below like any other token the service did not issue.
        }
        throw new SandboxApiException(400, "InvalidParameterValue", "Unable to parse pagination token");
    }

    [GeneratedRegex("^([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex HexSuffix();
}
