using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Turns a tool class's <c>[McpServerTool]</c> methods into MCP tools: a fresh instance per call from the request's
/// services (constructor injection), source-generated JSON, and DI services kept out of the input schema.
/// </summary>
public sealed class PluginToolFactory(IServiceProvider services, JsonSerializerOptions serializerOptions, string toolNamePrefix)
{
    private const DynamicallyAccessedMemberTypes ToolMembers =
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
        DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>
    /// Input schemas without the noise every optional parameter would otherwise carry in <c>tools/list</c>
    /// (<c>"type":["string","null"],"default":null</c>): an optional parameter is already optional by not being
    /// <c>required</c>, so it reads as <c>"type":"string"</c>. About 22 bytes per optional parameter, on every turn.
    /// </summary>
    public static AIJsonSchemaCreateOptions CompactSchema { get; } = new() { TransformSchemaNode = (_, node) => Compact(node) };

    /// <summary>Drops <c>"default": null</c> and the <c>"null"</c> member of a two-type union from one schema node.</summary>
    public static JsonNode Compact(JsonNode node)
    {
        if (node is JsonObject schema && schema.TryGetPropertyValue("default", out var value) && value is null)
        {
            schema.Remove("default");
            if (schema["type"] is JsonArray { Count: 2 } types && types.Any(t => t?.GetValue<string>() == "null"))
            {
                schema["type"] = types.First(t => t?.GetValue<string>() != "null")!.GetValue<string>();
            }
        }

        return node;
    }

    /// <summary>The tools declared by <typeparamref name="T"/>.</summary>
    public IEnumerable<McpServerTool> From<[DynamicallyAccessedMembers(ToolMembers)] T>() where T : class
    {
        var type = typeof(T);
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(ToolDescriptor.IsToolMethod)
            .OrderBy(m => m.MetadataToken);
        foreach (var method in methods)
        {
            var options = new McpServerToolCreateOptions { Services = services, SerializerOptions = serializerOptions, SchemaCreateOptions = CompactSchema };
            var tool = method.IsStatic
                ? McpServerTool.Create(method, (object?)null, options)
                : McpServerTool.Create(method, CreateTarget, options);
            tool.ProtocolTool.InputSchema = ToolSchema.Compact(tool.ProtocolTool.InputSchema);
            if (!tool.ProtocolTool.Name.StartsWith(toolNamePrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Tool '{tool.ProtocolTool.Name}' in {type.Name} must be named '{toolNamePrefix}<resource>_<verb>'.");
            }

            yield return tool;
        }

        object CreateTarget(RequestContext<CallToolRequestParams> request) =>
            ActivatorUtilities.CreateInstance(request.Services ?? services, type);
    }
}
