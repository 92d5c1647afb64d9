namespace McpCloudTools.Core;

/// <summary>
/// A failure whose message is written for the agent: what was wrong, the valid values, and what to try.
/// The server turns it into a tool error result (<c>isError: true</c>) with this message and nothing else;
/// any other exception becomes a short generic error and is logged to stderr.
/// </summary>
public class ToolException(string message, Exception? innerException = null) : Exception(message, innerException);
