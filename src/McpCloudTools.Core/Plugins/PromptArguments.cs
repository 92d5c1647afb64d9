using McpCloudTools.Core.Validation;
using ModelContextProtocol;

namespace McpCloudTools.Core.Plugins;

/// <summary>
/// The check every prompt argument passes before it is written into a playbook: bounded, one printable line. A prompt's
/// text goes to a model, so a value that could smuggle instructions (line breaks, control characters, pages of text)
/// is refused with a message naming the argument, as tool arguments are.
/// </summary>
public static class PromptArguments
{
    /// <summary>Longest accepted value (a Kubernetes name is at most 253 characters).</summary>
    public const int MaxLength = 253;

    /// <summary>The value trimmed, or null when absent; throws an invalid-params error naming <paramref name="name"/> otherwise.</summary>
    public static string? Check(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > MaxLength || trimmed.Any(char.IsControl))
        {
            throw new McpProtocolException($"Invalid prompt argument '{name}': {ArgumentText.Show(value)} is not one line of at most {MaxLength} " +
                "printable characters; give the name or id as the tools take it.", McpErrorCode.InvalidParams);
        }

        return trimmed;
    }

    /// <summary><c> (cluster_id=VALUE)</c> style suffix for an optional target, or empty.</summary>
    public static string With(string? value, string argument) => value is null ? "" : $" {argument}={value}";
}
