using McpCloudTools.Core.Validation;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Plugins.Manifest;

/// <summary>One parameter of a tool method, as the build-time manifest records it.</summary>
/// <param name="Name">The parameter's name (the argument's name for clients).</param>
/// <param name="Type">Its declared type.</param>
/// <param name="HasDefault">Whether it has a default value (the tool does not require it).</param>
/// <param name="Rule">Its <see cref="ArgumentRuleAttribute"/>, if it declares one.</param>
public sealed record ToolParameter(string Name, Type Type, bool HasDefault, ArgumentRuleAttribute? Rule);

/// <summary>
/// What the build-time tool manifest (the <c>McpCloudTools.ToolManifest</c> source generator) knows of one
/// <c>[McpServerTool]</c> method: everything <c>tools/list</c>, the status page, grants and the call guard read, so that
/// none of it needs reflection; <see cref="Create"/> makes the callable tool when it is first called.
/// </summary>
/// <param name="Method">The method's name.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Title">Its title, when the attribute sets one.</param>
/// <param name="Description">The method's <c>[Description]</c> ("" without one, as the SDK does).</param>
/// <param name="ReadOnly">The attribute's <c>ReadOnly</c>, when set.</param>
/// <param name="Destructive">The attribute's <c>Destructive</c>, when set.</param>
/// <param name="Idempotent">The attribute's <c>Idempotent</c>, when set.</param>
/// <param name="OpenWorld">The attribute's <c>OpenWorld</c>, when set.</param>
/// <param name="InputSchema">The compact input schema (<see cref="ToolSchema.Compact"/>'s form), as JSON.</param>
/// <param name="Attributes">The class's and method's attributes the server reads (<c>[SensitiveData]</c>, <c>[RequiresGrant]</c>, <c>[WaitsUpTo]</c>).</param>
/// <param name="Parameters">Every parameter of the method, in order.</param>
/// <param name="Create">Creates the callable tool (by reflection over the method, once).</param>
public sealed record ToolManifestEntry(
    string Method, string Name, string? Title, string Description,
    bool? ReadOnly, bool? Destructive, bool? Idempotent, bool? OpenWorld,
    string InputSchema, IReadOnlyList<Attribute> Attributes, IReadOnlyList<ToolParameter> Parameters,
    Func<PluginToolFactory, McpServerTool> Create);
