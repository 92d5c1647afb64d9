using McpCloudTools.Core;

namespace McpCloudTools.Aws;

/// <summary>
/// The AWS setup of an instance is incomplete or wrong (no region, no credentials, unknown profile): the message
/// says what to set, so the agent can tell the user.
/// </summary>
public sealed class AwsConfigurationException(string message, Exception? innerException = null)
    : ToolException(message, innerException);
