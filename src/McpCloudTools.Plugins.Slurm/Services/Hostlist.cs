using System.Globalization;

namespace McpCloudTools.Plugins.Slurm.Services;

/// <summary>Slurm hostlist expressions (<c>cn[001-004,7],gpu1</c>), expanded with a bound.</summary>
internal static class Hostlist
{
    public static HashSet<string> Expand(string expression, int max)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in SplitTop(expression))
        {
            var open = part.IndexOf('[', StringComparison.Ordinal);
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (open < 0 || close < open)
            {
                names.Add(part);
                continue;
            }

            var prefix = part[..open];
            var suffix = part[(close + 1)..];
            foreach (var range in part[(open + 1)..close].Split(','))
            {
                var bounds = range.Split('-');
                if (bounds.Length == 2 && long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                    && long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
                {
                    for (var i = from; i <= to && names.Count < max; i++)
                    {
                        names.Add(prefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(bounds[0].Length, '0') + suffix);
                    }
                }
                else
                {
                    names.Add(prefix + range + suffix);
                }
            }

            if (names.Count >= max)
            {
                break;
            }
        }

        return names;
    }

    // Commas inside brackets belong to ranges.
    private static IEnumerable<string> SplitTop(string expression)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            depth += expression[i] == '[' ? 1 : expression[i] == ']' ? -1 : 0;
            if (expression[i] == ',' && depth == 0)
            {
                if (i > start) yield return expression[start..i].Trim();
                start = i + 1;
            }
        }

        if (start < expression.Length) yield return expression[start..].Trim();
    }
}
