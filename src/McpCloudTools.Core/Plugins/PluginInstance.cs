namespace McpCloudTools.Core.Plugins;

/// <summary>
/// One configured instance of a plugin type: an account, a region or a role. Several instances of one type may exist.
/// Immutable: the registry replaces it on every change.
/// </summary>
/// <param name="Id">Stable id (<c>eks</c>, <c>eks-prod</c>) that tools take as their <c>instance</c> argument.</param>
/// <param name="Type">The plugin type.</param>
/// <param name="DisplayName">A human label.</param>
/// <param name="Config">Settings such as <c>profile</c>, <c>region</c>, <c>role_arn</c>, <c>endpoint_url</c>.</param>
/// <param name="Enabled">Only enabled instances serve tools; a type's tools are advertised while one of its instances is enabled.</param>
/// <param name="CreatedAt">When the instance was created; the first created enabled instance is a type's default.</param>
/// <param name="ConfigVersion">Bumped on every config change so cached clients and initialisation are redone.</param>
public sealed record PluginInstance(
    string Id,
    string Type,
    string DisplayName,
    IReadOnlyDictionary<string, string> Config,
    bool Enabled,
    DateTimeOffset CreatedAt,
    int ConfigVersion = 1)
{
    /// <summary>
    /// Where the server's configuration declares this instance (<c>McpCloudTools:Instances:eks-prod</c>), or null for an
    /// instance created at run time and stored. A declared instance is never stored nor changed at run time (<see cref="Registry.RegistryDeclarations"/>).
    /// </summary>
    public string? DeclaredAt { get; init; }
    /// <summary>
    /// Config key of an instance that acts in its cloud as each signed-in caller (AWS: the role assumed with the
    /// caller's own token). Such an instance's cached objects are kept per caller (<see cref="InstanceServiceCache"/>).
    /// </summary>
    public const string CallerRoleKey = "caller_role_arn";

    /// <summary>Whether the instance acts as each caller (<see cref="CallerRoleKey"/> is set).</summary>
    public bool ActsAsCaller => Get(CallerRoleKey) is not null;

    /// <summary>A config value, or null when unset or blank.</summary>
    public string? Get(string key) => Config.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
}
