using System.Text.RegularExpressions;

namespace McpCloudTools.Core.Safety;

/// <summary>
/// The one redaction step every tool result, resource read and log line passes through. Without
/// <c>--allow-sensitive-data</c>, values marked with <see cref="Sensitive(string)"/> become <c>[redacted]</c>, and
/// well-known secret shapes are scrubbed whether marked or not: passwords in
/// URLs (any scheme; scheme, user and host stay so the text still makes sense), presigned URLs, EKS tokens, JWTs,
/// provider tokens (GitHub, GitLab, Slack, Stripe, npm, Google, OpenAI/Anthropic-style keys), <c>Authorization</c>
/// values, private keys, connection-string passwords, <c>--password value</c> flags and
/// <c>password=</c> / <c>AWS_SECRET_ACCESS_KEY=</c> / <c>API_KEY=</c>-style assignments. The results of tools marked
/// <see cref="SensitiveDataAttribute"/> take the strict path on top (<see cref="Apply(string, bool, bool)"/>, chosen by
/// the call guard from the marker alone): every assignment whose name merely contains a secret word (<c>DB_PASS=</c>,
/// <c>SESSION_COOKIE=</c>, <c>SIGNING_SALT=</c>, <c>"auth_header": "…"</c>) or whose value holds a credential-bearing
/// URL or an AWS access key id has its whole value redacted. With <c>--allow-sensitive-data</c>, the marks are simply removed.
/// </summary>
public static partial class Redactor
{
    private const char Open = '\uE000';
    private const char Close = '\uE001';

    /// <summary>The text that replaces a redacted value.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Marks a value as sensitive.</summary>
    public static string Sensitive(string? value) => string.IsNullOrEmpty(value) ? "" : $"{Open}{value.Replace(Open, ' ').Replace(Close, ' ')}{Close}";

    /// <summary>Whether <paramref name="value"/> holds a credential in a URL (<c>scheme://user:password@host</c>).</summary>
    public static bool HasUrlCredentials(string value) => !string.IsNullOrEmpty(value) && UrlPassword().IsMatch(value);

    /// <summary>Applies the policy to one text.</summary>
    public static string Apply(string text, bool allowSensitive) => Apply(text, allowSensitive, strict: false);

    /// <summary>Applies the policy to one text; <paramref name="strict"/> for the results of sensitive tools.</summary>
    public static string Apply(string text, bool allowSensitive, bool strict)
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

        if (strict)
        {
            // Whole values first, before the rules below scrub parts of them (a URL's password, a token's shape).
            text = StrictUrlAssignment().Replace(text, "$1" + Redacted);
            text = StrictAssignment().Replace(text, "$1" + Redacted);
            text = AccessKeyId().Replace(text, "[redacted access key id]");
        }

        // Cheap pre-checks keep ordinary text (most of every result) away from the regexes that cannot match it.
        if (text.Contains("://", StringComparison.Ordinal))
        {
            text = PresignedUrl().Replace(text, "[redacted presigned URL]");
            text = UrlPassword().Replace(text, "$1$2:" + Redacted + "@");
            text = UrlToken().Replace(text, "$1" + Redacted + "@");
            text = SlackWebhook().Replace(text, "$1" + Redacted);
        }

        text = EksToken().Replace(text, "[redacted token]");
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            text = PrivateKey().Replace(text, "[redacted private key]");
        }

        text = Jwt().Replace(text, "[redacted JWT]");
        text = ProviderToken().Replace(text, "[redacted token]");
        text = AuthorizationValue().Replace(text, "$1" + Redacted);
        text = Bearer().Replace(text, "$1" + Redacted);
        text = Basic().Replace(text, "$1" + Redacted);
        text = ConnectionStringPassword().Replace(text, "$1$2" + Redacted);
        text = SecretFlag().Replace(text, "$1" + Redacted);
        return SecretAssignment().Replace(text, "$1" + Redacted);
    }

    /// <summary>Whether a key or variable name says its value is a secret (the strict path's rule, for names).</summary>
    public static bool IsSecretName(string name) => !string.IsNullOrEmpty(name) && SecretWord().IsMatch(name);

    [GeneratedRegex("(?i)(pass|secret|token|key|credential|auth|private|dsn|cert|session|signature|salt|cookie)")]
    private static partial Regex SecretWord();

    // NAME=value or "name": "value" where the name contains a secret word; references (<secret a/b>), objects, URLs
    // (the URL rules scrub their credentials and keep the rest) and what is already redacted stay.
    [GeneratedRegex(@"(?i)((?:\b[a-z0-9_.\-]*(?:pass|secret|token|key|credential|auth|private|dsn|cert|session|signature|salt|cookie)[a-z0-9_.\-]*=|""[a-z0-9_.\-]*(?:pass|secret|token|key|credential|auth|private|dsn|cert|session|signature|salt|cookie)[a-z0-9_.\-]*""[ \t]*:[ \t]*"")[ \t]*)(?!\[redacted|[\[{<(]|[a-z][a-z0-9+.\-]{1,20}://)[^\s""',;&}\]]+")]
    private static partial Regex StrictAssignment();

    // NAME=scheme://user:password@host…: the whole value, not only the password.
    [GeneratedRegex(@"(?i)(\b[a-z_][a-z0-9_.\-]*=)(?=[a-z][a-z0-9+.\-]{1,20}://[^\s/@:""'<>\\]*:[^\s/""'<>\\]+@)[^\s,;""']+")]
    private static partial Regex StrictUrlAssignment();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")]
    private static partial Regex AccessKeyId();

    [GeneratedRegex("\uE000[^\uE001]*\uE001")]
    private static partial Regex Marked();

    [GeneratedRegex(@"https?://[^\s""'<>]*[?&](X-Amz-Signature|Signature|X-Amz-Security-Token|X-Amz-Credential|sig)=[^\s""'<>]*", RegexOptions.IgnoreCase)]
    private static partial Regex PresignedUrl();

    // scheme://user:password@host: the password is everything up to the last '@' before the host (a raw '@' in a
    // password is common in hand-written DSNs); a '/' ends the authority, so host:port/path@x is not taken for one.
    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.\-]{1,20}://)([^\s/@:""'<>\\]*):([^\s/""'<>\\]+)@(?=[^\s@/""'<>\\]*[A-Za-z0-9\]])")]
    private static partial Regex UrlPassword();

    // scheme://TOKEN@host: a user part long enough to be a token, not a name (https://ghp_…@github.com, https://<pat>@dev.azure.com).
    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.\-]{1,20}://)[A-Za-z0-9_\-.~%]{20,}@")]
    private static partial Regex UrlToken();

    [GeneratedRegex(@"(?i)(https://hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_\-]+")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"k8s-aws-v1\.[A-Za-z0-9_\-]+")]
    private static partial Regex EksToken();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    // GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), GitLab (glpat-), Slack (xoxb-, xoxp-…), Stripe (sk_live_,
    // rk_live_…), npm, Google API keys, and sk-… keys of the model providers (mixed case and digits, so that a
    // lower-case Kubernetes name such as sk-learn-trainer-… is not one).
    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|AIza[A-Za-z0-9_\-]{35}|sk-(?=[A-Za-z0-9_\-]*[A-Z])(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{32,})")]
    private static partial Regex ProviderToken();

    // Authorization: Basic …, token …, or a bare value; Bearer is left to the rule below so both read the same.
    [GeneratedRegex(@"(?i)(\b(?:proxy-)?authorization[""']?[ \t]*[:=][ \t]*[""']?(?:basic|token|digest|negotiate|apikey)?[ \t]*)(?!bearer\b)[A-Za-z0-9._~+/=\-:]{8,}")]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex(@"(?i)(\bbearer\s+)[A-Za-z0-9._~+/\-]{16,}=*")]
    private static partial Regex Bearer();

    // "Basic <base64 of user:password>" wherever it stands (a header copied into JSON, a log line); ordinary words
    // after "Basic" have no digit, '+', '/' or '='.
    [GeneratedRegex(@"(\bBasic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{12,}={0,2}")]
    private static partial Regex Basic();

    // ADO.NET / ODBC / JDBC connection strings: Password=… or Pwd=… up to the next ';' (such passwords may hold
    // spaces): after a ';', or first in the string when a ';' follows.
    [GeneratedRegex(@"(?i)(;[ \t]*(?:password|pwd)[ \t]*=[ \t]*)(?!\[redacted)[^;\r\n""']+|(\b(?:password|pwd)[ \t]*=[ \t]*)(?!\[redacted)[^;=\r\n""']+(?=;)")]
    private static partial Regex ConnectionStringPassword();

    // Command-line flags followed by their value: --password hunter2, --db-password x, --token abc (the '=' form is an assignment below).
    [GeneratedRegex(@"(?i)((?:^|\s)--?(?:[a-z0-9]+-)*(?:password|passwd|secret|token|api-key|apikey|access-token|auth-token|client-secret|secret-key|private-key)[ \t]+)(?![-\[<])[^\s""']+")]
    private static partial Regex SecretFlag();

    // NAME=value, "name": "value", name: value, where the name ends in a secret word (DB_PASSWORD, STRIPE_API_KEY,
    // AWS_SECRET_ACCESS_KEY, client_secret, X-Auth-Token…). Pagination and idempotency tokens (nextToken,
    // clientRequestToken), counts (max_tokens), references (API_KEY=<secret name/key>) and objects are not secrets.
    [GeneratedRegex(@"(?i)(\b[a-z0-9_.\-]*?(?:password|passwd|passphrase|secret|secret[_\-]?key|secret[_\-]?access[_\-]?key|api[_\-]?key|private[_\-]?key|access[_\-]?token|auth[_\-]?token|refresh[_\-]?token|session[_\-]?token|id[_\-]?token|bearer[_\-]?token|oauth[_\-]?token|(?<![a-z])token)[""']?[ \t]*[:=][ \t]*[""']?)(?!\[redacted|[\[{<(])[^\s""',;&}\]]+")]
    private static partial Regex SecretAssignment();
}
