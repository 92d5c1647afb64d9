using System.Text.Json.Nodes;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// The shape of a JSON answer: every field path (<c>jobs[].exit_code.return_code.number</c>) with the JSON kinds seen
/// there, and the values seen at enum-like paths. Arrays contribute their items' shapes under <c>[]</c>.
/// </summary>
public sealed class JsonShape
{
    public Dictionary<string, HashSet<string>> Kinds { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HashSet<string>> Values { get; } = new(StringComparer.Ordinal);

    public static JsonShape Of(params JsonNode?[] documents)
    {
        var shape = new JsonShape();
        foreach (var d in documents)
        {
            shape.Add("", d);
        }

        return shape;
    }

    public IEnumerable<string> Paths => Kinds.Keys;

    /// <summary>The kinds at a path other than null (null stands for "unset" in both versions).</summary>
    public HashSet<string> Concrete(string path) => Kinds.TryGetValue(path, out var k) ? [.. k.Where(x => x != "null")] : [];

    private void Add(string path, JsonNode? node)
    {
        var kind = node switch
        {
            null => "null",
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
            JsonValue v when v.TryGetValue<string>(out _) => "string",
            _ => "number",
        };
        if (path.Length > 0)
        {
            (Kinds.TryGetValue(path, out var set) ? set : Kinds[path] = []).Add(kind);
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    Add(path.Length == 0 ? name : $"{path}.{name}", child);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Add(path + "[]", item);
                }

                break;
            case JsonValue v when kind == "string":
                (Values.TryGetValue(path, out var values) ? values : Values[path] = []).Add(v.GetValue<string>());
                break;
        }
    }
}
