using System.Security.Cryptography;
using System.Text;

namespace McpCloudTools.Sandbox;

/// <summary>
/// SigV4 canonicalisation written from the AWS documentation, independently of any client signer, so that a
/// signing bug in a client cannot be hidden by the same bug here. Works on the request as it arrived on the wire
/// (raw target, raw header values).
/// </summary>
public static class SigV4Canonicalizer
{
    /// <summary>Hex SHA-256 of the empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Builds the canonical request: method, canonical URI (the wire path encoded once more, as for every service
    /// but S3), canonical query (decoded, RFC 3986-encoded, sorted; <c>X-Amz-Signature</c> left out), the signed
    /// headers (lower-cased names, trimmed values with inner whitespace collapsed, repeated values joined by
    /// commas), the signed-header list and the payload hash.
    /// </summary>
    public static string CanonicalRequest(string method, string rawTarget, Func<string, IReadOnlyList<string>> headerValues,
        IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(headerValues);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? "" : rawTarget[(question + 1)..];

        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalUri(path)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = headerValues(name).Select(NormalizeValue);
            builder.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }
        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The string to sign for a canonical request.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>The hex signature of <paramref name="stringToSign"/> with the derived key.</summary>
    public static string Signature(string secretKey, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    /// <summary>Hex SHA-256 of a payload.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else <c>%XX</c> upper-case.</summary>
    public static string Encode(string value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~'
                || (keepSlash && c == '/'))
                builder.Append(c);
            else
                builder.Append('%').Append(Convert.ToHexString([b]));
        }
        return builder.ToString();
    }

    private static string CanonicalUri(string path) => path.Length == 0 ? "/" : Encode(path, keepSlash: true);

    private static string CanonicalQuery(string query)
    {
        if (query.Length == 0) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? part : part[..equals]);
            var value = equals < 0 ? "" : Decode(part[(equals + 1)..]);
            if (key == "X-Amz-Signature") continue;
            pairs.Add((Encode(key), Encode(value)));
        }
        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Percent-decoding of a query component; <c>+</c> reads as a space, as form encoding has it.</summary>
    public static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string NormalizeValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
