using System.Security.Claims;
using System.Text;

namespace McpCloudTools.Core.Registry;

/// <summary>
/// The signed-in caller's own access token and the name AWS sessions take from it, for instances that act as the
/// caller in AWS (<see cref="Plugins.PluginInstance.ActsAsCaller"/>). Sign-in puts the token on the principal
/// (<see cref="ClaimType"/>); the call guard makes it ambient for the call. Never logged, audited or returned.
/// </summary>
/// <param name="Token">The bearer token the caller presented.</param>
/// <param name="SessionName">A role session name from <c>preferred_username</c> or <c>sub</c>, within STS's rules.</param>
public sealed record CallerToken(string Token, string SessionName)
{
    /// <summary>The claim sign-in stores the raw token under (on the server-side principal only).</summary>
    public const string ClaimType = "urn:mcp-cloud-tools:access-token";

    private static readonly AsyncLocal<CallerToken?> Ambient = new();

    /// <summary>The token of the tool call running on this flow, if its caller signed in.</summary>
    public static CallerToken? Current => Ambient.Value;

    /// <summary>The token of <paramref name="user"/>, when it signed in.</summary>
    public static CallerToken? Of(ClaimsPrincipal? user)
    {
        if (user?.FindFirst(ClaimType)?.Value is not { Length: > 0 } token)
        {
            return null;
        }

        var name = user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "caller";
        return new CallerToken(token, SessionNameFrom(name));
    }

    /// <summary>
    /// <paramref name="name"/> made a valid STS role session name (<c>[\w+=,.@-]{2,64}</c>): other characters become
    /// <c>-</c>, too long is cut, too short padded.
    /// </summary>
    public static string SessionNameFrom(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(Math.Min(name.Length, 64));
        foreach (var c in name)
        {
            if (builder.Length == 64)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        }

        while (builder.Length < 2)
        {
            builder.Append('-');
        }

        return builder.ToString();
    }

    /// <summary>Makes <paramref name="token"/> the <see cref="Current"/> one until the returned scope is disposed.</summary>
    public static IDisposable Enter(CallerToken? token)
    {
        var previous = Ambient.Value;
        Ambient.Value = token;
        return new Scope(previous);
    }

    /// <inheritdoc />
    public override string ToString() => $"CallerToken({SessionName})";

    private sealed class Scope(CallerToken? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
