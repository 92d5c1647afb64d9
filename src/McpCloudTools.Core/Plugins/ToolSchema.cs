using System.Text.Json;
using System.Text.Json.Nodes;
using McpCloudTools.Core.Mcp;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Trims what the SDK writes for an optional parameter with a null default, <c>"type":["string","null"],"default":null</c>,
/// to <c>"type":"string"</c>: the parameter is optional either way (it is not in <c>required</c>), a null argument is still
/// accepted, and the 25 bytes it saves per optional parameter are paid on every turn by every client of tools/list.
/// </summary>
public static class ToolSchema
{
    /// <summary>The compacted input schema; schemas without such parameters come back unchanged.</summary>
    public static JsonElement Compact(JsonElement inputSchema)
    {
        if (JsonNode.Parse(inputSchema.GetRawText()) is not JsonObject { } root || root["properties"] is not JsonObject properties)
        {
            return inputSchema;
        }

        var changed = false;
        foreach (var (_, value) in properties)
        {
            if (value is not JsonObject parameter || !parameter.TryGetPropertyValue("default", out var fallback) || fallback is not null)
            {
                continue;
            }

            parameter.Remove("default");
            if (parameter["type"] is JsonArray { Count: 2 } types && types.OfType<JsonValue>().Count(t => t.GetValue<string>() == "null") == 1)
            {
                parameter["type"] = types.OfType<JsonValue>().Single(t => t.GetValue<string>() != "null").GetValue<string>();
            }

            changed = true;
        }

        return changed ? JsonSerializer.SerializeToElement(root, CoreJsonContext.Default.JsonNode) : inputSchema;
    }
}
