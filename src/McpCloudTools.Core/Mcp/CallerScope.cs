using System.Security.Claims;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Acting as a request's caller for as long as the scope lasts: their view (<see cref="CallerKey"/>: their active
/// cluster, their per-instance caches and credentials) and their sign-in token (<see cref="CallerToken"/>, with which an
/// instance with <c>caller_role_arn</c> calls AWS as them). Every tool call (<see cref="CallToolGuard"/>) and every
/// request that reads data outside a tool call (<see cref="ResourceHandlers"/>, <see cref="Completions"/>) runs inside
/// one; those requests first need the read grant (<see cref="MayRead"/>), as a read tool does.
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

    /// <summary>Whether <paramref name="user"/>'s grants (<paramref name="grants"/>) include read: always without sign-in.</summary>
    public static bool MayRead(IServiceProvider services, ClaimsPrincipal? user, out Grants grants)
    {
        ArgumentNullException.ThrowIfNull(services);
        grants = services.GetRequiredService<GrantPolicy>().For(user);
        return grants.HasFlag(Grants.Read);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _token.Dispose();
        _key.Dispose();
    }
}
