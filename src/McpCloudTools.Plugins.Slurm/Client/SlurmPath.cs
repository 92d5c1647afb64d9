using System.Globalization;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

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
/// A job id as Slurm writes it: <c>123</c> or an array task <c>123_4</c>. Parsed once at the tool boundary, against
/// <see cref="SlurmNames.JobId"/>, so nothing else reaches a URL.
/// </summary>
internal readonly record struct SlurmJobId(long JobId, long? TaskId)
{
    public static SlurmJobId Parse(string? raw, string argument = "job_id")
    {
        var text = SlurmNames.JobId.Require(raw, argument);
        var parts = text.Split('_');
        var id = long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        if (id > SlurmNames.MaxJobId)
        {
            throw ArgumentError.Invalid(argument, text, $"{parts[0]} is over {SlurmNames.MaxJobId.ToString(CultureInfo.InvariantCulture)}", SlurmNames.JobId);
        }

        return new SlurmJobId(id, parts.Length > 1 ? long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture) : null);
    }

    public override string ToString() => TaskId is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{JobId}_{t}")
        : JobId.ToString(CultureInfo.InvariantCulture);
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

    public static string Partition(SlurmApiVersion v, string name) => Build(v, "partition", SlurmNames.Partition.Require(name, "partition"));

    private static string Build(SlurmApiVersion version, params string[] segments)
    {
        if (!SlurmApiVersion.Known.Contains(version))
        {
            throw new InvalidOperationException($"Unknown API version {version}.");
        }

        return "slurm/" + version.Name + "/" + string.Join('/', segments.Select(Uri.EscapeDataString));
    }
}
