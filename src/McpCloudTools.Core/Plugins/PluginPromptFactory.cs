using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Turns a prompt class's <c>[McpServerPrompt]</c> methods into MCP prompts, as <see cref="PluginToolFactory"/> does for
/// tools: a fresh instance per request from the request's services, source-generated JSON, the plugin's name prefix.
/// </summary>
public sealed class PluginPromptFactory(IServiceProvider services, JsonSerializerOptions serializerOptions, string namePrefix)
{
    private const DynamicallyAccessedMemberTypes PromptMembers =
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
        DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>The prompts declared by <typeparamref name="T"/>.</summary>
    public IEnumerable<McpServerPrompt> From<[DynamicallyAccessedMembers(PromptMembers)] T>() where T : class
    {
        var type = typeof(T);
        foreach (var method in DeclaredMethods.Of(type, m => m.GetCustomAttribute<McpServerPromptAttribute>() is not null))
        {
            var options = new McpServerPromptCreateOptions { Services = services, SerializerOptions = serializerOptions };
            var prompt = method.IsStatic
                ? McpServerPrompt.Create(method, (object?)null, options)
                : McpServerPrompt.Create(method, CreateTarget, options);
            if (!prompt.ProtocolPrompt.Name.StartsWith(namePrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(prompt.ProtocolPrompt.Description))
            {
                throw new InvalidOperationException(
                    $"Prompt '{prompt.ProtocolPrompt.Name}' in {type.Name} must be named '{namePrefix}<subject>' and have a description.");
            }

            yield return prompt;
        }

        object CreateTarget(RequestContext<GetPromptRequestParams> request) =>
            ActivatorUtilities.CreateInstance(request.Services ?? services, type);
    }
}
