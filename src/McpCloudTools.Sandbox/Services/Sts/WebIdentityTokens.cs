using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpCloudTools.Sandbox.Services.Sts;

/// <summary>
/// Checks a web identity token as IAM does for an OpenID Connect identity provider: issued by the trusted issuer,
/// signed (RS256) with a key from the issuer's JWKS (fetched through its discovery document and cached; fetched again
/// once for an unknown <c>kid</c>), for one of the provider's audiences (client ids), not expired. Failures are AWS's
/// own errors (<c>InvalidIdentityToken</c>, <c>ExpiredTokenException</c>, <c>IDPCommunicationError</c>).
/// </summary>
internal sealed class WebIdentityTokens(SandboxOptions options)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Dictionary<string, RSAParameters> _keys = [];

    /// <summary>The issuer and subject of a valid token; throws AWS's error otherwise.</summary>
    public async Task<(string Issuer, string Subject)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var issuer = options.WebIdentityIssuer!;
        var parts = token.Split('.');
        if (parts.Length != 3 || Parse(parts[0]) is not { } header || Parse(parts[1]) is not { } payload)
        {
            throw Invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }

        using (header)
        using (payload)
        {
            var claims = payload.RootElement;
            var iss = Text(claims, "iss");
            if (!string.Equals(iss?.TrimEnd('/'), issuer, StringComparison.Ordinal))
            {
                throw Invalid($"No OpenIDConnect provider found in your account for {iss ?? "(no issuer)"}");
            }

            if (Text(header.RootElement, "alg") != "RS256" || Text(header.RootElement, "kid") is not { } kid)
            {
                throw Invalid("The token's signing algorithm is not supported or it names no key (kid); RS256 with a kid is expected.");
            }

            var key = await KeyAsync(kid, cancellationToken).ConfigureAwait(false)
                ?? throw Invalid($"Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements (kid '{kid}').");
            using (var rsa = RSA.Create(key))
            {
                var signature = Base64Url(parts[2]);
                if (signature is null || !rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                {
                    throw Invalid("The web identity token's signature is invalid.");
                }
            }

            var audiences = claims.TryGetProperty("aud", out var aud)
                ? aud.ValueKind == JsonValueKind.Array ? [.. aud.EnumerateArray().Select(a => a.GetString() ?? "")] : new[] { aud.GetString() ?? "" }
                : [];
            if (options.WebIdentityAudiences.Count > 0 && !audiences.Any(options.WebIdentityAudiences.Contains))
            {
                throw Invalid("Incorrect token audience");
            }

            if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiry))
            {
                throw Invalid("The web identity token has no expiry (exp).");
            }

            var now = DateTimeOffset.UtcNow;
            if (DateTimeOffset.FromUnixTimeSeconds(expiry) <= now)
            {
                throw new SandboxApiException(400, "ExpiredTokenException", string.Create(CultureInfo.InvariantCulture,
                    $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time{expiry}"));
            }

            return (issuer, Text(claims, "sub") ?? "");
        }
    }

    private async Task<RSAParameters?> KeyAsync(string kid, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _keys).TryGetValue(kid, out var key))
        {
            return key;
        }

        // Concurrent fetches of an unknown kid may overlap; each installs the issuer's whole, current key set.
        var keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _keys, keys);
        return keys.TryGetValue(kid, out key) ? key : null;
    }

    private async Task<Dictionary<string, RSAParameters>> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var discovery = JsonDocument.Parse(await Http.GetStringAsync($"{options.WebIdentityIssuer}/.well-known/openid-configuration", cancellationToken).ConfigureAwait(false));
            var jwksUri = Text(discovery.RootElement, "jwks_uri") ?? throw new HttpRequestException("no jwks_uri in the discovery document");
            using var jwks = JsonDocument.Parse(await Http.GetStringAsync(jwksUri, cancellationToken).ConfigureAwait(false));
            var keys = new Dictionary<string, RSAParameters>(StringComparer.Ordinal);
            foreach (var k in jwks.RootElement.GetProperty("keys").EnumerateArray())
            {
                if (Text(k, "kty") == "RSA" && Text(k, "kid") is { } id && Base64Url(Text(k, "n")) is { } n && Base64Url(Text(k, "e")) is { } e)
                {
                    keys[id] = new RSAParameters { Modulus = n, Exponent = e };
                }
            }

            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SandboxApiException(400, "IDPCommunicationError",
                $"The request could not be fulfilled because the identity provider ({options.WebIdentityIssuer}) is not available. Try again. ({e.Message})");
        }
    }

    private static SandboxApiException Invalid(string message) => new(400, "InvalidIdentityToken", message);

    private static JsonDocument? Parse(string part)
    {
        try
        {
            return Base64Url(part) is { } bytes ? JsonDocument.Parse(bytes) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? Base64Url(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var s = value.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
