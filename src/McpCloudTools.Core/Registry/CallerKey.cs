using System.Security.Claims;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// Whose view of the registry a call uses: the global one (no sign-in), or a signed-in caller's, keyed by the token
/// subject. What is per caller: the active cluster. The call guard sets <see cref="Current"/> for the duration of a
/// tool call; the REST API passes the key of its request.
/// </summary>
/// <param name="Subject">The caller's subject, or null for the global view.</param>
public readonly record struct CallerKey(string? Subject)
{
    private static readonly AsyncLocal<CallerKey> Ambient = new();

    /// <summary>The global view.</summary>
    public static CallerKey Global => default;

    /// <summary>Whether this is the global view.</summary>
    public bool IsGlobal => Subject is null;

    /// <summary>The caller of the tool call running on this flow; <see cref="Global"/> outside one.</summary>
    public static CallerKey Current => Ambient.Value;

    /// <summary>
    /// The key of a signed-in user: the <c>sub</c> claim a sign-in (OpenID Connect) puts on the principal. Anyone else
    /// shares the global view, and so does every caller of a server without sign-in, whatever identifies its HTTP
    /// session (an API token's hash, the loopback client: a name identifier, not a subject).
    /// </summary>
    public static CallerKey Of(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Global;
        }

        var subject = user.FindFirst("sub")?.Value;
        return string.IsNullOrWhiteSpace(subject) ? Global : new CallerKey(subject);
    }

    /// <summary>Makes <paramref name="caller"/> the <see cref="Current"/> caller until the returned scope is disposed.</summary>
    public static IDisposable Enter(CallerKey caller)
    {
        var previous = Ambient.Value;
        Ambient.Value = caller;
        return new Scope(previous);
    }

    /// <inheritdoc />
    public override string ToString() => Subject ?? "(global)";

    private sealed class Scope(CallerKey previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
