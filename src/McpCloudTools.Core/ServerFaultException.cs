namespace McpCloudTools.Core;

/// <summary>
/// A failure of the server itself, not of the caller's request, whose message is safe to show and says what failed
/// and what did not happen. The REST API answers it as a 500 problem with this message; a tool call as an error
/// result with it. It is logged with its cause.
/// </summary>
public class ServerFaultException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>A registry change could not be stored (the state file or database refused the write): nothing changed.</summary>
public sealed class StateNotSavedException(string message, Exception? innerException = null) : ServerFaultException(message, innerException);

/// <summary>
/// The shared state store (the database) cannot be reached, so no change can be made now: the server keeps serving
/// from its last state and reconnects by itself. The REST API answers it as a 503 problem; a tool call as an error
/// result saying the change was not made and why.
/// </summary>
public sealed class StateUnavailableException(string message, Exception? innerException = null) : ServerFaultException(message, innerException);
