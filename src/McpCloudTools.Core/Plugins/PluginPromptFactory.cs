using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using McpCloudTools.Core.Plugins.Manifest;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Turns a prompt class's <c>[McpServerPrompt]</c> methods into MCP prompts, as <see cref="PluginToolFactory"/> does for
/// tools: a fresh instance per request from the request's services, source-generated JSON, the plugin's name prefix. A
/// class the build-time manifest describes is advertised from it, and each of its prompts is created by reflection on
/// its first get only.
/// </summary>
/// <param name="services">The root services.</param>
/// <param name="serializerOptions">The prompts' serializer options.</param>
/// <param name="namePrefix">What every prompt's name starts with (<c>eks_</c>).</param>
/// <param name="byReflection">Create every prompt now by reflection, ignoring manifests: what the SDK builds, which each manifest must equal.</param>
public sealed class PluginPromptFactory(IServiceProvider services, JsonSerializerOptions serializerOptions, string namePrefix, bool byReflection = false)
{
    private const DynamicallyAccessedMemberTypes PromptMembers =
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
        DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>The prompts declared by <typeparamref name="T"/>: from its build-time manifest when it has one, else by reflection.</summary>
    public IEnumerable<McpServerPrompt> From<[DynamicallyAccessedMembers(PromptMembers)] T>() where T : class
    {
        if (byReflection || PromptManifest.Of(typeof(T)) is not { } entries)
        {
            return Reflect<T>();
        }

        return entries.Select(entry =>
        {
            Check(entry.Name, entry.Description, typeof(T));
            return (McpServerPrompt)new ManifestPrompt(entry, () => Create<T>(entry.Method));
        }).ToList();
    }

    private IEnumerable<McpServerPrompt> Reflect<[DynamicallyAccessedMembers(PromptMembers)] T>() where T : class
    {
        foreach (var method in DeclaredMethods.Of(typeof(T), IsPromptMethod))
        {
            yield return Create<T>(method);
        }
    }

    /// <summary>Creates the SDK prompt of <typeparamref name="T"/>'s prompt method <paramref name="method"/> (generated code calls it on a prompt's first get).</summary>
    public McpServerPrompt Create<[DynamicallyAccessedMembers(PromptMembers)] T>(string method) where T : class =>
        Create<T>(DeclaredMethods.Of(typeof(T), m => m.Name == method && IsPromptMethod(m)).SingleOrDefault()
                  ?? throw new InvalidOperationException($"{typeof(T).Name} has no prompt method '{method}' (the build-time prompt manifest is stale: rebuild)."));

    private McpServerPrompt Create<[DynamicallyAccessedMembers(PromptMembers)] T>(MethodInfo method) where T : class
    {
        var type = typeof(T);
        var options = new McpServerPromptCreateOptions { Services = services, SerializerOptions = serializerOptions };
        var prompt = method.IsStatic
            ? McpServerPrompt.Create(method, (object?)null, options)
            : McpServerPrompt.Create(method, CreateTarget, options);
        Check(prompt.ProtocolPrompt.Name, prompt.ProtocolPrompt.Description, type);
        return prompt;

        object CreateTarget(RequestContext<GetPromptRequestParams> request) =>
            ActivatorUtilities.CreateInstance(request.Services ?? services, type);
    }

    private static bool IsPromptMethod(MethodInfo method) => method.GetCustomAttribute<McpServerPromptAttribute>() is not null;

    private void Check(string name, string? description, Type type)
    {
        if (!name.StartsWith(namePrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(description))
        {
            throw new InvalidOperationException($"Prompt '{name}' in {type.Name} must be named '{namePrefix}<subject>' and have a description.");
        }
    }
}
