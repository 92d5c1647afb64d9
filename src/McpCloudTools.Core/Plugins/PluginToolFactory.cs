using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using McpCloudTools.Core.Validation;
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

    /// <summary>The tools declared by <typeparamref name="T"/>.</summary>
    public IEnumerable<McpServerTool> From<[DynamicallyAccessedMembers(ToolMembers)] T>() where T : class
    {
        var type = typeof(T);
        foreach (var method in DeclaredMethods.Of(type, ToolDescriptor.IsToolMethod))
        {
            var options = new McpServerToolCreateOptions
            {
                Services = services, SerializerOptions = serializerOptions,
                // What the SDK puts there by default (the class's attributes, then the method's), plus the rules of the
                // tool's text arguments, which the call guard checks before the tool runs.
                Metadata = [.. type.GetCustomAttributes(inherit: true), .. method.GetCustomAttributes(inherit: true), ToolArguments.Of(method, serializerOptions)],
            };
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
