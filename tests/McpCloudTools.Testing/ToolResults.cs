using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Testing;

/// <summary>Helpers to read tool results and build arguments.</summary>
public static class ToolResults
{
    /// <summary>The text of a result's text blocks.</summary>
    public static string Text(this CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}

/// <summary>Turns an anonymous object into tool arguments.</summary>
public static class ToolArgs
{
    /// <summary>Anonymous object or dictionary → argument dictionary (snake_case names as written).</summary>
    public static IReadOnlyDictionary<string, object?> From(object? arguments) => arguments switch
    {
        null => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> d => d,
        _ => arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(arguments)),
    };
}
