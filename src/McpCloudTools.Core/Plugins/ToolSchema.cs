using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Trims what every tool's input schema repeats without telling a model anything: the schema generator writes an
/// optional <c>string?</c> parameter as <c>"type":["string","null"],"default":null</c>, an optional flag with
/// <c>"default":false</c>, and the items of an optional <c>string[]?</c> as nullable. An optional parameter is
/// already one the caller may leave out (it is not in <c>required</c>), so these become <c>"type":"string"</c> and
/// nothing: about 30 bytes per parameter of <c>tools/list</c>, paid on every turn. Binding is unaffected: arguments
/// are read against the method's own types.
/// </summary>
public static class ToolSchema
{
    /// <summary>The compact form of a tool's input schema.</summary>
    public static JsonElement Compact(JsonElement schema)
    {
        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject root) return schema;
        var required = root["required"] is JsonArray names ? names.Select(n => n?.GetValue<string>()).ToHashSet() : [];
        if (root["properties"] is JsonObject properties)
        {
            foreach (var (name, node) in properties)
            {
                if (node is JsonObject property && !required.Contains(name)) CompactProperty(property);
            }
        }
        return JsonSerializer.SerializeToElement(root, Mcp.CoreJsonContext.Default.JsonObject);
    }

    private static void CompactProperty(JsonObject property)
    {
        DropNullType(property);
        if (property["items"] is JsonObject items) DropNullType(items);
        if (property.TryGetPropertyValue("default", out var value)
            && (value is null || value.GetValueKind() == JsonValueKind.False))
        {
            property.Remove("default");
        }
    }

    private static void DropNullType(JsonObject schema)
    {
        if (schema["type"] is JsonArray types && types.Count == 2 && types.Any(t => t?.GetValue<string>() == "null"))
            schema["type"] = types.First(t => t?.GetValue<string>() != "null")!.GetValue<string>();
    }
}
