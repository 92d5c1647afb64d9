using System.Text.RegularExpressions;

namespace McpCloudTools.Core.Safety;

/// <summary>
/// The one redaction step every tool result passes through. Tools mark sensitive values with
/// <see cref="Sensitive(string)"/>; without <c>--allow-sensitive-data</c> the marked values become
/// <c>[redacted]</c>, and well-known secret shapes (presigned URLs, EKS tokens, bearer tokens, private keys,
/// secret keys) are scrubbed even when a tool forgot to mark them. With it, the marks are simply removed.
/// </summary>
public static partial class Redactor
{
    private const char Open = '\uE000';
    private const char Close = '\uE001';

    /// <summary>The text that replaces a redacted value.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Marks a value as sensitive.</summary>
    public static string Sensitive(string? value) => string.IsNullOrEmpty(value) ? "" : $"{Open}{value.Replace(Open, ' ').Replace(Close, ' ')}{Close}";

    /// <summary>Applies the policy to one text.</summary>
    public static string Apply(string text, bool allowSensitive)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (allowSensitive)
        {
            return text.Contains(Open) ? text.Replace(Open.ToString(), "").Replace(Close.ToString(), "") : text;
        }

        if (text.Contains(Open))
        {
            text = Marked().Replace(text, Redacted);
        }

        text = PresignedUrl().Replace(text, "[redacted presigned URL]");
        text = EksToken().Replace(text, "[redacted token]");
        text = PrivateKey().Replace(text, "[redacted private key]");
        text = Bearer().Replace(text, "$1" + Redacted);
        return SecretAssignment().Replace(text, "$1" + Redacted);
    }

    [GeneratedRegex("\uE000[^\uE001]*\uE001")]
    private static partial Regex Marked();

    [GeneratedRegex(@"https?://[^\s""'<>]*[?&](X-Amz-Signature|Signature|X-Amz-Security-Token)=[^\s""'<>]*", RegexOptions.IgnoreCase)]
    private static partial Regex PresignedUrl();

    [GeneratedRegex(@"k8s-aws-v1\.[A-Za-z0-9_\-]+")]
    private static partial Regex EksToken();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?i)(\bbearer\s+)[A-Za-z0-9._~+/\-]{16,}=*")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?i)((?:aws_secret_access_key|secretaccesskey|secret_access_key|aws_session_token|sessiontoken|client_secret|password)[""']?\s*[:=]\s*[""']?)[^\s""',;]+")]
    private static partial Regex SecretAssignment();
}
