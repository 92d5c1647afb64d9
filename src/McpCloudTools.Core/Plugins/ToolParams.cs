using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Descriptions of the parameters every plugin shares, kept short because every byte of <c>tools/list</c> is paid
/// for on every turn, and identical across tools so a model learns them once.
/// </summary>
public static partial class ToolParams
{
    /// <summary><c>instance</c>: which plugin instance (account/region/role) an account-scoped tool uses.</summary>
    public const string Instance = "Plugin instance (plugins_list)";

    /// <summary><c>cluster_id</c>: which cluster a cluster-scoped tool acts on.</summary>
    public const string ClusterId = "Default: the active cluster";

    /// <summary><c>limit</c>.</summary>
    public const string Limit = Output.Paging.LimitDescription;

    /// <summary><c>cursor</c>.</summary>
    public const string Cursor = Output.Paging.CursorDescription;

    /// <summary>
    /// The one rule of every name filter a plugin applies itself, stated once: case-insensitive; a value with <c>*</c> is
    /// a pattern the whole name must match (<c>*</c> is any run of characters: <c>python*</c>, <c>*-api</c>); a value
    /// without is a part of the name (a substring). EC2's own filters follow the same rule.
    /// </summary>
    public const string NameFilter = "Case-insensitive; part of the name, or a pattern with *";

    /// <summary>Whether <paramref name="value"/> passes the name filter <paramref name="filter"/> (<see cref="NameFilter"/>); no filter passes all.</summary>
    public static bool NameMatches(string? value, string? filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return true;
        }

        value ??= "";
        if (!filter.Contains('*', StringComparison.Ordinal))
        {
            return value.Contains(filter, StringComparison.OrdinalIgnoreCase);
        }

        // Glob with * only, linear: remember the last * and where it resumed.
        int v = 0, f = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (f < filter.Length && filter[f] != '*' && char.ToUpperInvariant(filter[f]) == char.ToUpperInvariant(value[v]))
            {
                v++;
                f++;
            }
            else if (f < filter.Length && filter[f] == '*')
            {
                star = f++;
                resume = v;
            }
            else if (star >= 0)
            {
                f = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (f < filter.Length && filter[f] == '*')
        {
            f++;
        }

        return f == filter.Length;
    }

    /// <summary><c>dry_run</c> on write tools.</summary>
    public const string DryRun = "Preview only; change nothing";

    /// <summary>What an <c>instance</c> argument holds: a plugin instance id.</summary>
    public static NameRule InstanceRule { get; } = new("a plugin instance id", InstanceIdPattern(), 63,
        c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-',
        "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters", "plugins_list shows the instances.");

    /// <summary>What a <c>cluster_id</c> argument holds: an id from clusters_list (a kubeconfig context may have any name).</summary>
    public static TextRule ClusterIdRule { get; } = new("a cluster id", 256, hint: "clusters_list shows the clusters.");

    /// <summary>What a <c>cursor</c> argument holds: the token a previous page returned.</summary>
    public static TextRule CursorRule { get; } = new("a cursor", 1024, hint: "Pass the cursor a previous page returned, or call again without cursor.");

    /// <summary>The rule of a shared parameter, by its name; null for any other.</summary>
    public static ArgumentRule? RuleFor(string parameter) => parameter switch
    {
        "instance" => InstanceRule,
        "cluster_id" => ClusterIdRule,
        "cursor" => CursorRule,
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex InstanceIdPattern();
}
