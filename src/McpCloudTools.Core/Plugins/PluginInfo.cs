namespace McpCloudTools.Core.Plugins;

/// <summary>What a plugin type is, shown by <c>plugins_list</c> and <c>GET /api/plugin-types</c>.</summary>
/// <param name="Type">Stable identifier and tool-name prefix (<c>eks</c>, <c>ec2</c>); lower case.</param>
/// <param name="Name">Display name (<c>Amazon EKS</c>).</param>
/// <param name="Description">One or two sentences for a model: what the plugin is for and what it is not for.</param>
/// <param name="Icon">A short icon (an emoji) for UIs.</param>
/// <param name="Version">Semantic version of the plugin type, so a state file and an API client can tell them apart.</param>
public sealed record PluginInfo(string Type, string Name, string Description, string Icon, string Version);
