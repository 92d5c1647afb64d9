using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace McpCloudTools.Sandbox;

/// <summary>Who a key belongs to, as STS would report it.</summary>
/// <param name="AccessKey">Access key id.</param>
/// <param name="SecretKey">Secret key.</param>
/// <param name="SessionToken">Required session token for temporary keys, else null.</param>
/// <param name="Arn">Caller ARN (<c>…:user/sandbox</c> or <c>…:assumed-role/R/session</c>).</param>
/// <param name="UserId">Unique id (<c>AIDA…</c> or <c>AROA…:session</c>).</param>
/// <param name="Account">Account id.</param>
/// <param name="Expiration">When temporary keys stop working (real time), else null.</param>
public sealed record SandboxPrincipal(
    string AccessKey, string SecretKey, string? SessionToken, string Arn, string UserId, string Account,
    DateTimeOffset? Expiration = null);

/// <summary>
/// The keys the sandbox accepts: the configured user, plus temporary keys it issued through STS <c>AssumeRole</c>
/// (checked with their session token and expiry, as AWS does).
/// </summary>
public sealed class SandboxCredentialStore
{
    private readonly ConcurrentDictionary<string, SandboxPrincipal> _keys = new(StringComparer.Ordinal);

    /// <summary>Registers the sandbox user from the options.</summary>
    public SandboxCredentialStore(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Account = options.AccountId;
        User = new SandboxPrincipal(options.AccessKey, options.SecretKey, null,
            $"arn:aws:iam::{options.AccountId}:user/sandbox", "AIDASANDBOXUSER000001", options.AccountId);
        _keys[User.AccessKey] = User;
    }

    /// <summary>The account id.</summary>
    public string Account { get; }

    /// <summary>The long-term sandbox user.</summary>
    public SandboxPrincipal User { get; }

    /// <summary>Finds the owner of an access key.</summary>
    public SandboxPrincipal? Find(string accessKey) => _keys.TryGetValue(accessKey, out var principal) ? principal : null;

    /// <summary>Issues temporary keys for a role session (STS <c>AssumeRole</c>).</summary>
    public SandboxPrincipal IssueRoleSession(string roleArn, string sessionName, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleArn);
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var principal = new SandboxPrincipal(
            "ASIA" + RandomString(16), RandomString(40), RandomString(64),
            $"arn:aws:sts::{Account}:assumed-role/{roleName}/{sessionName}",
            $"AROA{Stable(roleName)}:{sessionName}", Account, now + duration);
        _keys[principal.AccessKey] = principal;
        return principal;
    }

    private static string RandomString(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", length);

    private static string Stable(string value)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
        return Convert.ToHexString(hash, 0, 8);
    }
}
