using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins.Manifest;

/// <summary>One argument of a prompt, as the build-time manifest records it (the SDK's <c>PromptArgument</c>).</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Description">Its <c>[Description]</c>, if any.</param>
/// <param name="Required">Whether the SDK requires it (it has no default value).</param>
public sealed record PromptManifestArgument(string Name, string? Description, bool Required);

/// <summary>
/// What the build-time manifest (the <c>McpCloudTools.ToolManifest</c> source generator) knows of one
/// <c>[McpServerPrompt]</c> method: everything <c>prompts/list</c> sends, so that listing needs no reflection;
/// <see cref="Create"/> makes the SDK prompt when it is first got.
/// </summary>
/// <param name="Method">The method's name.</param>
/// <param name="Name">The prompt's name.</param>
/// <param name="Title">Its title, when the attribute sets one.</param>
/// <param name="Description">The method's <c>[Description]</c> ("" without one, as the SDK does).</param>
/// <param name="Arguments">The arguments clients fill (the parameters the SDK does not bind itself), in order.</param>
/// <param name="Create">Creates the SDK prompt (by reflection over the method, once).</param>
public sealed record PromptManifestEntry(
    string Method, string Name, string? Title, string Description, IReadOnlyList<PromptManifestArgument> Arguments,
    Func<PluginPromptFactory, McpServerPrompt> Create);
