using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace McpCloudTools.Sandbox;

/// <summary>How a signature check ended.</summary>
public enum SigV4Outcome
{
    /// <summary>Valid signature by a known key.</summary>
    Valid,

    /// <summary>No SigV4 authentication at all.</summary>
    Missing,

    /// <summary>Authentication present but malformed (missing parts, bad date).</summary>
    Incomplete,

    /// <summary>The access key is unknown.</summary>
    UnknownKey,

    /// <summary>The session token is missing or wrong, or temporary keys expired.</summary>
    InvalidToken,

    /// <summary>The signature does not match.</summary>
    Mismatch,

    /// <summary>The signing time is outside the allowed skew, or a presigned URL expired.</summary>
    Expired,
}

/// <summary>The parsed credential scope and signature parameters of a request.</summary>
/// <param name="AccessKey">Access key id.</param>
/// <param name="Date">Scope date (yyyyMMdd).</param>
/// <param name="Region">Scope region.</param>
/// <param name="Service">Scope service: the sandbox routes on it.</param>
/// <param name="SignedHeaders">Signed header names, lower case.</param>
/// <param name="Signature">Hex signature sent.</param>
/// <param name="AmzDate">Signing time (yyyyMMdd'T'HHmmss'Z').</param>
/// <param name="Presigned">True for query-string authentication.</param>
/// <param name="ExpiresSeconds">X-Amz-Expires of a presigned URL.</param>
/// <param name="SessionToken">X-Amz-Security-Token sent, if any.</param>
public sealed record SigV4Scope(string AccessKey, string Date, string Region, string Service,
    IReadOnlyList<string> SignedHeaders, string Signature, string AmzDate, bool Presigned, int? ExpiresSeconds,
    string? SessionToken)
{
    /// <summary>The credential scope string.</summary>
    public string CredentialScope => $"{Date}/{Region}/{Service}/aws4_request";
}

/// <summary>Result of a signature check.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Scope">Parsed scope when authentication was present.</param>
/// <param name="Principal">The caller when valid.</param>
/// <param name="Detail">Explanation, including the expected canonical request on a mismatch (as AWS does).</param>
public sealed record SigV4Result(SigV4Outcome Outcome, SigV4Scope? Scope, SandboxPrincipal? Principal, string Detail);

/// <summary>
/// Verifies SigV4 header and presigned-query authentication against the sandbox's keys, with a skew window,
/// using <see cref="SigV4Canonicalizer"/> (independent of every client signer).
/// </summary>
public static class SigV4Verifier
{
    /// <summary>Reads the credential scope without verifying (the router needs the service first).</summary>
    public static SigV4Scope? ParseScope(Func<string, IReadOnlyList<string>> header, IReadOnlyDictionary<string, string> query)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(query);
        var authorization = First(header("authorization"));
        if (authorization is not null && authorization.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            var parts = authorization["AWS4-HMAC-SHA256".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            var amzDate = First(header("x-amz-date")) ?? "";
            return Build(parts.GetValueOrDefault("Credential"), parts.GetValueOrDefault("SignedHeaders"),
                parts.GetValueOrDefault("Signature"), amzDate, false, null, First(header("x-amz-security-token")));
        }
        if (query.TryGetValue("X-Amz-Algorithm", out var algorithm) && algorithm == "AWS4-HMAC-SHA256")
        {
            int? expires = int.TryParse(query.GetValueOrDefault("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
            return Build(query.GetValueOrDefault("X-Amz-Credential"), query.GetValueOrDefault("X-Amz-SignedHeaders"),
                query.GetValueOrDefault("X-Amz-Signature"), query.GetValueOrDefault("X-Amz-Date") ?? "", true, expires,
                query.GetValueOrDefault("X-Amz-Security-Token"));
        }
        return null;
    }

    /// <summary>Verifies a request as it arrived.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="rawTarget">Path and query exactly as on the wire.</param>
    /// <param name="header">Raw values of a header (lower-case name).</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="store">Known keys.</param>
    /// <param name="now">Real current time.</param>
    /// <param name="maxSkew">Accepted difference between signing time and now.</param>
    public static SigV4Result Verify(string method, string rawTarget, Func<string, IReadOnlyList<string>> header,
        ReadOnlySpan<byte> body, SandboxCredentialStore store, DateTimeOffset now, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(store);
        var query = ParseQuery(rawTarget);
        var scope = ParseScope(header, query);
        if (scope is null) return new(SigV4Outcome.Missing, null, null, "Missing Authentication Token");
        if (scope.AccessKey.Length == 0 || scope.Signature.Length == 0 || scope.SignedHeaders.Count == 0
            || !DateTimeOffset.TryParseExact(scope.AmzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt) || !scope.AmzDate.StartsWith(scope.Date, StringComparison.Ordinal))
            return new(SigV4Outcome.Incomplete, scope, null,
                "Authorization header requires 'Credential', 'SignedHeaders', 'Signature' and a matching X-Amz-Date.");
        if (!scope.SignedHeaders.Contains("host"))
            return new(SigV4Outcome.Incomplete, scope, null, "'Host' must be a signed header.");

        var principal = store.Find(scope.AccessKey);
        if (principal is null)
            return new(SigV4Outcome.UnknownKey, scope, null, "The security token included in the request is invalid.");
        if (principal.SessionToken is not null && (scope.SessionToken != principal.SessionToken || principal.Expiration <= now))
            return new(SigV4Outcome.InvalidToken, scope, null, principal.Expiration <= now
                ? "The security token included in the request is expired"
                : "The security token included in the request is invalid.");

        if (scope.Presigned)
        {
            if (now > signedAt.AddSeconds(scope.ExpiresSeconds ?? 0) || signedAt - now > maxSkew)
                return new(SigV4Outcome.Expired, scope, null, $"Signature expired: {scope.AmzDate} is no longer valid.");
        }
        else if ((now - signedAt).Duration() > maxSkew)
        {
            return new(SigV4Outcome.Expired, scope, null, string.Create(CultureInfo.InvariantCulture,
                $"Signature expired: {scope.AmzDate} is now earlier than {(now - maxSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - {maxSkew.TotalMinutes:0} min.)"));
        }

        var sentHash = First(header("x-amz-content-sha256"));
        var candidates = sentHash is not null ? [sentHash]
            : scope.Presigned ? new[] { SigV4Canonicalizer.PayloadHash(body), "UNSIGNED-PAYLOAD" }
            : [SigV4Canonicalizer.PayloadHash(body)];
        string? canonical = null;
        foreach (var payloadHash in candidates)
        {
            canonical = SigV4Canonicalizer.CanonicalRequest(method, rawTarget, header, scope.SignedHeaders, payloadHash);
            var stringToSign = SigV4Canonicalizer.StringToSign(scope.AmzDate, scope.CredentialScope, canonical);
            var expected = SigV4Canonicalizer.Signature(principal.SecretKey, scope.Date, scope.Region, scope.Service, stringToSign);
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(scope.Signature)))
                return new(SigV4Outcome.Valid, scope, principal, "");
        }
        return new(SigV4Outcome.Mismatch, scope, null,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            + $"Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String "
            + $"for this request should have been\n'{canonical}'\n");
    }

    /// <summary>Decoded query parameters of a raw target (first value of each key).</summary>
    public static IReadOnlyDictionary<string, string> ParseQuery(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        if (question < 0) return result;
        foreach (var part in rawTarget[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = SigV4Canonicalizer.Decode(equals < 0 ? part : part[..equals]);
            result.TryAdd(key, equals < 0 ? "" : SigV4Canonicalizer.Decode(part[(equals + 1)..]));
        }
        return result;
    }

    private static string? First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : null;

    private static SigV4Scope Build(string? credential, string? signedHeaders, string? signature, string amzDate,
        bool presigned, int? expires, string? token)
    {
        var scopeParts = (credential ?? "").Split('/');
        string Part(int i) => scopeParts.Length == 5 ? scopeParts[i] : "";
        return new SigV4Scope(Part(0), Part(1), Part(2), Part(3),
            (signedHeaders ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToArray(),
            signature ?? "", amzDate, presigned, expires, token);
    }
}
