using System.Globalization;
using System.Text.RegularExpressions;
using McpCloudTools.Core;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>A REST API version this plugin speaks (<c>v0.0.38</c>, <c>v0.0.41</c>).</summary>
internal sealed partial record SlurmApiVersion(string Name)
{
    public static readonly SlurmApiVersion V38 = new("v0.0.38");
    public static readonly SlurmApiVersion V41 = new("v0.0.41");

    /// <summary>What we speak, newest first: the first one the server also offers is used.</summary>
    public static readonly IReadOnlyList<SlurmApiVersion> Known = [V41, V38];

    /// <summary>Whether this version uses the v0.0.40+ data parser (state arrays, no-value structs).</summary>
    public bool IsDataParser => this != V38;

    /// <summary>The versions an OpenAPI document's paths mention, newest first.</summary>
    public static IReadOnlyList<string> Offered(IEnumerable<string> paths) =>
        [.. paths.Select(p => VersionInPath().Match(p)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct()
            .OrderByDescending(v => v, StringComparer.Ordinal)];

    public override string ToString() => Name;

    [GeneratedRegex(@"^/slurm/(v\d+\.\d+\.\d+)/")]
    private static partial Regex VersionInPath();
}

/// <summary>
/// A job id as Slurm writes it: <c>123</c> or an array task <c>123_4</c>. Parsed once at the tool boundary, so
/// nothing else reaches a URL.
/// </summary>
internal readonly partial record struct SlurmJobId(long JobId, long? TaskId)
{
    public static SlurmJobId Parse(string? raw, string argument = "job_id")
    {
        var text = raw?.Trim() ?? "";
        var m = Pattern().Match(text);
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id is < 1 or > uint.MaxValue)
        {
            throw new ToolException($"{argument} must be a Slurm job id: a number such as 1234, or an array task 1234_7 " +
                                    $"(got '{SlurmNames.Prefix(text)}'). slurm_job_list shows them.");
        }

        long? task = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return new SlurmJobId(id, task);
    }

    public override string ToString() => TaskId is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{JobId}_{t}")
        : JobId.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,10})(?:_(\d{1,7}))?$")]
    private static partial Regex Pattern();
}

/// <summary>Slurm's naming rules for what users pass: partitions, nodes, users.</summary>
internal static partial class SlurmNames
{
    public const int MaxLength = 64;

    /// <summary>A partition, node or user name, validated; null stays null.</summary>
    public static string? Validate(string? raw, string argument, string kind)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var name = raw.Trim();
        if (name is "." or ".." || !NamePattern().IsMatch(name))
        {
            throw new ToolException($"{argument} must be a Slurm {kind} name: 1-{MaxLength} letters, digits, '.', '_' or '-', not '.' or '..' " +
                                    $"(got '{Prefix(name)}').");
        }

        return name;
    }

    /// <summary>A short, printable prefix of hostile input for an error message.</summary>
    public static string Prefix(string text)
    {
        var clean = new string([.. text.Take(24).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 24 ? clean + "…" : clean;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}

/// <summary>
/// Builds the paths of the REST API from typed segments: the version is one we know, every other segment is
/// validated by its type and escaped, so no user value is ever pasted into a URL.
/// </summary>
internal static class SlurmPath
{
    public const string OpenApi = "openapi/v3";
    public const string OpenApiJson = "openapi.json";

    public static string Ping(SlurmApiVersion v) => Build(v, "ping");
    public static string Diag(SlurmApiVersion v) => Build(v, "diag");
    public static string Jobs(SlurmApiVersion v) => Build(v, "jobs");
    public static string Nodes(SlurmApiVersion v) => Build(v, "nodes");
    public static string Partitions(SlurmApiVersion v) => Build(v, "partitions");
    public static string Submit(SlurmApiVersion v) => Build(v, "job", "submit");
    public static string Job(SlurmApiVersion v, SlurmJobId id) => Build(v, "job", id.ToString());

    public static string Partition(SlurmApiVersion v, string name) =>
        Build(v, "partition", SlurmNames.Validate(name, "partition", "partition") ?? throw new ToolException("partition is required."));

    private static string Build(SlurmApiVersion version, params string[] segments)
    {
        if (!SlurmApiVersion.Known.Contains(version))
        {
            throw new InvalidOperationException($"Unknown API version {version}.");
        }

        return "slurm/" + version.Name + "/" + string.Join('/', segments.Select(Uri.EscapeDataString));
    }
}
