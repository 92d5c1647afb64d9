namespace McpCloudTools.Core.Plugins;

/// <summary>
/// An MCP resource template a plugin serves: a URI shape over one of its read-only tools. The URI is
/// <c>&lt;type&gt;://{instance}/&lt;path&gt;</c>; each <c>{name}</c> in <paramref name="Path"/> is one path segment
/// (percent-decoded) that becomes the tool's argument of the same name (or, for a list argument, <c>name + "s"</c>
/// with one item), checked by that argument's declared rule before the tool runs. Reading the URI is calling the tool,
/// through the same argument checks and redaction as a <c>tools/call</c>.
/// </summary>
/// <param name="Path">The path after the instance, e.g. <c>clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}</c>.</param>
/// <param name="Name">A short name (<c>pod</c>).</param>
/// <param name="Description">What reading it gives, for the model.</param>
/// <param name="Tool">The read-only tool that answers (<c>eks_pod_describe</c>).</param>
public sealed record PluginResourceTemplate(string Path, string Name, string Description, string Tool)
{
    /// <summary>The path's segments: a literal, or a variable's name in braces.</summary>
    public IReadOnlyList<string> Segments { get; } = Path.Split('/');

    /// <summary>The variables' names, in order.</summary>
    public IEnumerable<string> Variables => Segments.Where(IsVariable).Select(s => s[1..^1]);

    /// <summary>The full URI template for an instance type: <c>eks://{instance}/clusters/{cluster_id}</c>.</summary>
    public string UriTemplate(string type) => $"{type}://{{instance}}/{Path}";

    /// <summary>Whether <paramref name="segments"/> (a URI's path after the instance, raw) have this template's literals in place.</summary>
    public bool LiteralsMatch(IReadOnlyList<string> segments) =>
        segments.Count == Segments.Count && Segments.Select((s, i) => IsVariable(s) || string.Equals(s, segments[i], StringComparison.Ordinal)).All(m => m);

    /// <summary>Whether the URI's first segment is this template's (a URI meant for it, whatever the rest).</summary>
    public bool Resembles(IReadOnlyList<string> segments) =>
        segments.Count > 0 && !IsVariable(Segments[0]) && string.Equals(Segments[0], segments[0], StringComparison.Ordinal);

    private static bool IsVariable(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';
}
