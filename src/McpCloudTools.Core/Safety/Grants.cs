using System.Runtime.CompilerServices;
using System.Security.Claims;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Core.Safety;

/// <summary>What a caller may do. A tool needs one grant (<see cref="Plugins.ToolDescriptor.Required"/>).</summary>
[Flags]
public enum Grants
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Read tools, the management tools that only read or choose (clusters_list, cluster_activate), REST reads.</summary>
    Read = 1,
    /// <summary>Write tools (changes, not destructive).</summary>
    Write = 2,
    /// <summary>Destructive tools.</summary>
    Destructive = 4,
    /// <summary>Sensitive values shown unredacted.</summary>
    Sensitive = 8,
    /// <summary>plugin_enable, plugin_disable and REST mutations.</summary>
    Admin = 16,
    /// <summary>Everything.</summary>
    All = Read | Write | Destructive | Sensitive | Admin,
}

/// <summary>Marks a tool that needs a grant other than the one its access level implies (plugin_enable needs admin).</summary>
/// <param name="grant">The grant.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresGrantAttribute(Grants grant) : Attribute
{
    /// <summary>The grant.</summary>
    public Grants Grant { get; } = grant;
}

/// <summary>
/// How a signed-in caller's token maps to grants: keys <c>scope:NAME</c> (a scope in <c>scope</c>/<c>scp</c>),
/// <c>group:NAME</c> or <c>role:NAME</c> (a value of any of the group claims), <c>sub:ID</c>, <c>client:ID</c>
/// (<c>client_id</c>/<c>azp</c>/<c>appid</c>), and <c>*</c> (every signed-in caller).
/// </summary>
/// <param name="Rules">Key to grants.</param>
/// <param name="GroupClaims">The claims that carry groups or roles (Okta <c>groups</c>, Entra <c>roles</c>, Cognito <c>cognito:groups</c>).</param>
/// <param name="ScopeClaims">The claims that carry scopes (space-separated or one per value).</param>
public sealed record GrantMapping(IReadOnlyDictionary<string, Grants> Rules, IReadOnlyList<string> GroupClaims, IReadOnlyList<string> ScopeClaims)
{
    /// <summary>The default group claims.</summary>
    public static readonly IReadOnlyList<string> DefaultGroupClaims = ["groups", "roles", "cognito:groups"];

    /// <summary>The default scope claims.</summary>
    public static readonly IReadOnlyList<string> DefaultScopeClaims = ["scope", "scp"];

    /// <summary>The default rules when none are configured: every signed-in caller may read.</summary>
    public static readonly IReadOnlyDictionary<string, Grants> DefaultRules = new Dictionary<string, Grants> { ["*"] = Grants.Read };

    /// <summary>Parses a grant name (<c>read</c>, <c>write</c>, <c>destructive</c>, <c>sensitive</c>, <c>admin</c>); throws a <see cref="FormatException"/> naming the key.</summary>
    public static Grants Parse(string key, string name) => name.Trim().ToLowerInvariant() switch
    {
        "read" => Grants.Read,
        "write" => Grants.Write,
        "destructive" => Grants.Destructive,
        "sensitive" => Grants.Sensitive,
        "admin" => Grants.Admin,
        _ => throw new FormatException($"Auth:Grants:{key} names the grant '{Fmt.Clip(name, 40)}'; " +
            "grants are read, write, destructive, sensitive and admin."),
    };

    /// <summary>The grants of <paramref name="user"/>'s claims, before the process ceilings.</summary>
    public Grants Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var grants = Rules.GetValueOrDefault("*");
        foreach (var claim in user.Claims)
        {
            if (ScopeClaims.Contains(claim.Type, StringComparer.Ordinal))
            {
                foreach (var scope in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    grants |= Rules.GetValueOrDefault("scope:" + scope);
                }
            }
            else if (GroupClaims.Contains(claim.Type, StringComparer.Ordinal))
            {
                grants |= Rules.GetValueOrDefault("group:" + claim.Value) | Rules.GetValueOrDefault("role:" + claim.Value);
            }
            else if (claim.Type == "sub")
            {
                grants |= Rules.GetValueOrDefault("sub:" + claim.Value);
            }
            else if (claim.Type is "client_id" or "azp" or "appid")
            {
                grants |= Rules.GetValueOrDefault("client:" + claim.Value);
            }
        }

        return grants;
    }
}

/// <summary>
/// The one place that decides what a caller may do: a signed-in caller (a principal of
/// <see cref="SignInAuthenticationType"/>) gets the grants its token maps to; everyone else (stdio: the person who
/// started the process; an API token; loopback without a token) gets them all. Either way capped by the process
/// ceilings (<c>--allow-write</c>, <c>--allow-sensitive-data</c>). Computed once per request principal.
/// </summary>
public sealed class GrantPolicy(SafetyOptions ceilings, GrantMapping? mapping = null)
{
    /// <summary>The authentication type of principals made from a validated sign-in token.</summary>
    public const string SignInAuthenticationType = "McpCloudTools.SignIn";

    private readonly ConditionalWeakTable<ClaimsPrincipal, StrongBox<Grants>> _computed = [];

    /// <summary>Whether sign-in is on (grants come from tokens).</summary>
    public bool SignIn => mapping is not null;

    /// <summary>The process ceilings.</summary>
    public SafetyOptions Ceilings { get; } = ceilings;

    /// <summary>What the process allows anyone: all grants but those the ceilings remove.</summary>
    public Grants Ceiling => Grants.All
        & ~(Ceilings.AllowWrite ? Grants.None : Grants.Write | Grants.Destructive)
        & ~(Ceilings.AllowSensitiveData ? Grants.None : Grants.Sensitive);

    /// <summary>The grants of <paramref name="user"/> (null: stdio).</summary>
    public Grants For(ClaimsPrincipal? user)
    {
        if (mapping is null || user?.Identity is not { IsAuthenticated: true, AuthenticationType: SignInAuthenticationType })
        {
            return Ceiling;
        }

        return _computed.GetValue(user, u => new StrongBox<Grants>(mapping.Of(u) & Ceiling)).Value;
    }

    /// <summary>The lower-case name of a single grant.</summary>
    public static string Name(Grants grant) => grant.ToString().ToLowerInvariant();

    /// <summary>The names of <paramref name="grants"/>, comma-separated, or <c>none</c>.</summary>
    public static string Names(Grants grants) =>
        grants == Grants.None ? "none" : string.Join(", ", Enum.GetValues<Grants>().Where(g => g is not (Grants.None or Grants.All) && grants.HasFlag(g)).Select(Name));
}
