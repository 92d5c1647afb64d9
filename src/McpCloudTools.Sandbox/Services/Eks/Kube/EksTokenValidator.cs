using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// Checks an EKS bearer token the way aws-iam-authenticator does before it calls STS: the <c>k8s-aws-v1.</c> prefix,
/// base64url of a presigned <c>GetCallerIdentity</c> URL on an STS host (the sandbox's own loopback endpoint counts as
/// one), only the allowed query keys, <c>x-k8s-aws-id</c> among the signed headers, <c>X-Amz-Expires</c> ≤ 900 and a
/// signing time within 15 minutes. Then, where the real authenticator forwards the URL to STS, the sandbox verifies
/// the SigV4 signature itself with its key store, binding the token to this cluster's name.
/// </summary>
public static class EksTokenValidator
{
    private const string Prefix = "k8s-aws-v1.";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private static readonly HashSet<string> AllowedKeys = new(StringComparer.Ordinal)
    {
        "Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
        "X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-SignedHeaders",
    };

    /// <summary>The caller's ARN when the token is valid for <paramref name="clusterName"/>; otherwise null and why.</summary>
    public static (string? Arn, string Problem) Validate(string? authorization, string clusterName, SandboxCredentialStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return (null, "no bearer token");
        var token = authorization[7..].Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return (null, "token is not k8s-aws-v1");
        if (token.Length > 4096) return (null, "token is too long");
        string url;
        try
        {
            url = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length)));
        }
        catch (FormatException)
        {
            return (null, "token is not base64url");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return (null, "token is not a URL");
        if (!IsStsHost(uri)) return (null, $"host {uri.Host} is not an STS endpoint");
        if (uri.AbsolutePath != "/") return (null, "path is not /");
        // The target exactly as signed (System.Uri may normalise escapes).
        var slash = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        var rawTarget = slash < 0 ? "/" : url[slash..];

        var query = SigV4Verifier.ParseQuery(rawTarget);
        if (query.Keys.FirstOrDefault(k => !AllowedKeys.Contains(k)) is { } extra) return (null, $"query key {extra} is not allowed");
        if (query.GetValueOrDefault("Action") != "GetCallerIdentity") return (null, "action is not GetCallerIdentity");
        var signed = (query.GetValueOrDefault("X-Amz-SignedHeaders") ?? "").Split(';');
        if (!signed.Contains("x-k8s-aws-id")) return (null, "x-k8s-aws-id is not signed");
        if (!int.TryParse(query.GetValueOrDefault("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires > 900)
            return (null, "X-Amz-Expires is missing or above 900");
        if (!DateTimeOffset.TryParseExact(query.GetValueOrDefault("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt))
            return (null, "X-Amz-Date is malformed");
        if (now - signedAt > Lifetime) return (null, "token expired");
        if (signedAt - now > TimeSpan.FromMinutes(5)) return (null, "token is from the future");

        var scope = SigV4Verifier.ParseScope(_ => [], query);
        if (scope is null || scope.Service != "sts") return (null, "credential scope is not sts");
        var principal = store.Find(scope.AccessKey);
        if (principal is null) return (null, "unknown access key");
        if (principal.SessionToken is not null && (scope.SessionToken != principal.SessionToken || principal.Expiration <= now))
            return (null, "session token invalid or expired");

        // The API server forwards the URL with x-k8s-aws-id set to its own cluster name: a token for another cluster
        // then fails the signature, exactly as STS would refuse it.
        IReadOnlyList<string> Header(string name) => name switch
        {
            "host" => [uri.IsDefaultPort ? uri.Host : uri.Authority],
            "x-k8s-aws-id" => [clusterName],
            _ => [],
        };
        // Signers differ on the payload hash of a presigned GET (empty-body hash or UNSIGNED-PAYLOAD): accept either.
        foreach (var payloadHash in new[] { SigV4Canonicalizer.EmptyPayloadHash, "UNSIGNED-PAYLOAD" })
        {
            var canonical = SigV4Canonicalizer.CanonicalRequest("GET", rawTarget, Header, [.. signed], payloadHash);
            var expected = SigV4Canonicalizer.Signature(principal.SecretKey, scope.Date, scope.Region, scope.Service,
                SigV4Canonicalizer.StringToSign(scope.AmzDate, scope.CredentialScope, canonical));
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(scope.Signature)))
                return (principal.Arn, "");
        }
        return (null, "signature does not match (wrong key, or a token for another cluster)");
    }

    private static bool IsStsHost(Uri uri) =>
        uri.IsLoopback
        || uri.Scheme == Uri.UriSchemeHttps && (uri.Host == "sts.amazonaws.com"
            || uri.Host.StartsWith("sts.", StringComparison.Ordinal) && uri.Host.EndsWith(".amazonaws.com", StringComparison.Ordinal));
}
