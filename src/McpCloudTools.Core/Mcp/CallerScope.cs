using System.Security.Claims;
using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Acting as a request's caller for as long as the scope lasts: their view (<see cref="CallerKey"/>: their active
/// cluster, their per-instance caches and credentials) and their sign-in token (<see cref="CallerToken"/>, with which an
/// instance with <c>caller_role_arn</c> calls AWS as them). Every tool call (<see cref="CallToolGuard"/>) and every
/// resource request (<see cref="ResourceHandlers"/>) runs inside one.
/// </summary>
internal sealed class CallerScope : IDisposable
{
    private readonly IDisposable _key;
    private readonly IDisposable _token;

    private CallerScope(ClaimsPrincipal? user)
    {
        _key = CallerKey.Enter(CallerKey.Of(user));
        _token = CallerToken.Enter(CallerToken.Of(user));
    }

    /// <summary>Acts as <paramref name="user"/> (no one signed in: the server's own view and identity) until disposed.</summary>
    public static CallerScope Enter(ClaimsPrincipal? user) => new(user);

    /// <inheritdoc />
    public void Dispose()
    {
        _token.Dispose();
        _key.Dispose();
    }
}
