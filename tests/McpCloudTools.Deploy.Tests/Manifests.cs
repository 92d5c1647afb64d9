using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace McpCloudTools.Deploy.Tests;

/// <summary>
/// Rendered Kubernetes manifests: a multi-document YAML stream read with YamlDotNet, each document turned into a JSON
/// tree with YAML 1.2 core-schema scalars (unquoted true/false, numbers and null typed; quoted ones strings), so tests
/// ask for <c>runAsNonRoot</c> as the API server would read it.
/// </summary>
internal sealed partial class Manifests
{
    private Manifests(string yaml, List<JsonObject> documents)
    {
        Yaml = yaml;
        Documents = documents;
    }

    /// <summary>The YAML as rendered.</summary>
    public string Yaml { get; }

    /// <summary>Every non-empty document.</summary>
    public IReadOnlyList<JsonObject> Documents { get; }

    /// <summary>Reads a YAML stream; a document that is not a mapping fails the test.</summary>
    public static Manifests Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = new List<JsonObject>();
        foreach (var document in stream.Documents)
        {
            switch (ToJson(document.RootNode))
            {
                case JsonObject o:
                    documents.Add(o);
                    break;
                case null:
                    break;
                case var other:
                    throw new InvalidOperationException($"A rendered document is not a mapping: {other.ToJsonString()}");
            }
        }

        return new Manifests(yaml, documents);
    }

    /// <summary>The one document of <paramref name="kind"/>; fails when there is none or more than one.</summary>
    public JsonObject Single(string kind)
    {
        var found = Documents.Where(d => (string?)d["kind"] == kind).ToList();
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"Expected one {kind}, found {found.Count}: {string.Join(", ", Kinds)}");
    }

    /// <summary>Documents of <paramref name="kind"/>.</summary>
    public IEnumerable<JsonObject> OfKind(string kind) => Documents.Where(d => (string?)d["kind"] == kind);

    /// <summary>The kinds, in order.</summary>
    public IEnumerable<string> Kinds => Documents.Select(d => (string?)d["kind"] ?? "(no kind)");

    /// <summary>The Deployment's pod spec.</summary>
    public JsonObject PodSpec => (JsonObject)Single("Deployment")["spec"]!["template"]!["spec"]!;

    /// <summary>The server container.</summary>
    public JsonObject Server => (JsonObject)PodSpec["containers"]!.AsArray().Single(c => (string?)c!["name"] == "server")!;

    /// <summary>The server's command-line arguments.</summary>
    public List<string> Args => Server["args"]?.AsArray().Select(a => (string)a!).ToList() ?? [];

    /// <summary>The server's environment variable <paramref name="name"/>, or null.</summary>
    public JsonObject? Env(string name) => Server["env"]?.AsArray().Select(e => (JsonObject)e!).SingleOrDefault(e => (string?)e["name"] == name);

    /// <summary>The value that follows <paramref name="flag"/> in the arguments, for every occurrence.</summary>
    public List<string> FlagValues(string flag) => Args.Select((a, i) => (a, i)).Where(x => x.a == flag && x.i + 1 < Args.Count).Select(x => Args[x.i + 1]).ToList();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerRule().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerRule();
}
