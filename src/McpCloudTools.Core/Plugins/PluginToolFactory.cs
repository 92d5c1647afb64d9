using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using McpCloudTools.Core.Plugins.Manifest;
using McpCloudTools.Core.Validation;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Turns a tool class's <c>[McpServerTool]</c> methods into MCP tools: a fresh instance per call from the request's
/// services (constructor injection), source-generated JSON, and DI services kept out of the input schema. A class the
/// build-time manifest describes (every class in an assembly built with the <c>McpCloudTools.ToolManifest</c>
/// generator) is advertised from it, and each of its tools is created by reflection on its first call only.
/// </summary>
/// <param name="services">The root services.</param>
/// <param name="serializerOptions">The tools' serializer options.</param>
/// <param name="toolNamePrefix">What every tool's name starts with (<c>eks_</c>).</param>
/// <param name="byReflection">Create every tool now by reflection, ignoring manifests: what the SDK builds, which each manifest must equal.</param>
public sealed class PluginToolFactory(IServiceProvider services, JsonSerializerOptions serializerOptions, string toolNamePrefix, bool byReflection = false)
{
    private const DynamicallyAccessedMemberTypes ToolMembers =
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
        DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>The tools declared by <typeparamref name="T"/>: from its build-time manifest when it has one, else by reflection.</summary>
    public IEnumerable<McpServerTool> From<[DynamicallyAccessedMembers(ToolMembers)] T>() where T : class
    {
        if (byReflection || ToolManifest.Of(typeof(T)) is not { } entries)
        {
            return Reflect<T>();
        }

        return entries.Select(entry =>
        {
            CheckName(entry.Name, typeof(T));
            var facts = new List<object>(entry.Attributes) { ToolArguments.Of(entry.Parameters, serializerOptions) };
            return (McpServerTool)new ManifestTool(entry, facts, () => Create<T>(entry.Method));
        }).ToList();
    }

    private IEnumerable<McpServerTool> Reflect<[DynamicallyAccessedMembers(ToolMembers)] T>() where T : class
    {
        foreach (var method in DeclaredMethods.Of(typeof(T), ToolDescriptor.IsToolMethod))
        {
            yield return Create<T>(method);
        }
    }

    /// <summary>Creates the callable tool of <typeparamref name="T"/>'s tool method <paramref name="method"/> (generated code calls it on a tool's first call).</summary>
    public McpServerTool Create<[DynamicallyAccessedMembers(ToolMembers)] T>(string method) where T : class =>
        Create<T>(DeclaredMethods.Of(typeof(T), m => m.Name == method && ToolDescriptor.IsToolMethod(m)).SingleOrDefault()
                  ?? throw new InvalidOperationException($"{typeof(T).Name} has no tool method '{method}' (the build-time tool manifest is stale: rebuild)."));

    private McpServerTool Create<[DynamicallyAccessedMembers(ToolMembers)] T>(MethodInfo method) where T : class
    {
        var type = typeof(T);
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
        CheckName(tool.ProtocolTool.Name, type);
        return tool;

        object CreateTarget(RequestContext<CallToolRequestParams> request) =>
            ActivatorUtilities.CreateInstance(request.Services ?? services, type);
    }

    private void CheckName(string name, Type type)
    {
        if (!name.StartsWith(toolNamePrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Tool '{name}' in {type.Name} must be named '{toolNamePrefix}<resource>_<verb>'.");
        }
    }
}
