namespace McpCloudTools.Core.Registry;

/// <summary>Why a registry operation was refused; the REST API maps it to 404, 409 or 400.</summary>
public enum RegistryErrorKind { NotFound, Conflict, Invalid }

/// <summary>A refused registry operation, with a message that says what to do instead.</summary>
public sealed class RegistryException(RegistryErrorKind kind, string message) : ToolException(message)
{
    /// <summary>Why it was refused.</summary>
    public RegistryErrorKind Kind { get; } = kind;
}
