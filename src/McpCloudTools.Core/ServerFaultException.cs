namespace McpCloudTools.Core;

/// <summary>
/// A failure of the server itself, not of the caller's request, whose message is safe to show and says what failed
/// and what did not happen. The REST API answers it as a 500 problem with this message; a tool call as an error
/// result with it. It is logged with its cause.
/// </summary>
public class ServerFaultException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>A registry change could not be stored (the state file or database refused the write): nothing changed.</summary>
public sealed class StateNotSavedException(string message, Exception? innerException = null) : ServerFaultException(message, innerException);
