using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace McpCloudTools.Core.Plugins;

/// <summary>The methods a plugin class declares for MCP (tools, prompts), in the order they are written.</summary>
internal static class DeclaredMethods
{
    /// <summary>
    /// <paramref name="type"/>'s own methods (public or not, static or instance) that <paramref name="declares"/>
    /// accepts, in declaration order; NativeAOT keeps no metadata tokens (reading one throws), and there reflection's
    /// own order stands.
    /// </summary>
    public static IEnumerable<MethodInfo> Of(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type,
        Func<MethodInfo, bool> declares) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(declares)
            .OrderBy(m => m.HasMetadataToken() ? m.MetadataToken : 0);
}
