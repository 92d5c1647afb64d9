using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox;

/// <summary>
/// One request as it arrived on the wire, for tests that check what a client really sent.
/// </summary>
/// <param name="Sequence">Order of arrival (1, 2, …) across the whole sandbox.</param>
/// <param name="Service">Who received it: <c>aws</c> until routed, then the signing name (<c>eks</c>, <c>lambda</c>, …), or <c>kube:&lt;cluster&gt;</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="RawTarget">Path and query exactly as sent.</param>
/// <param name="Values">Every path segment and query value, percent-decoded.</param>
/// <param name="Problems">Why the target is ambiguous (empty when it is not): a segment that decodes to '/', '?', '#',
/// NUL or another control character, a '.' or '..' segment, a character that should have been escaped, a bad escape,
/// or a path the server normalised into something else.</param>
public sealed record SandboxRequestRecord(long Sequence, string Service, string Method, string RawTarget, IReadOnlyList<string> Values,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when the target could be read more than one way.</summary>
    public bool IsAmbiguous => Problems.Count > 0;

    /// <summary>Who received it (set once routed).</summary>
    public string Service { get; internal set; } = Service;

    /// <summary>Bytes of the response body (before any transport compression); set when the Kubernetes API has answered.</summary>
    public long ResponseBytes { get; internal set; }

    /// <summary>
    /// Who made it: the ARN of the principal whose keys signed it, or for STS <c>AssumeRoleWithWebIdentity</c>
    /// <c>web-identity:ISSUER#SUBJECT</c> of the token presented; null when unsigned or refused before that.
    /// </summary>
    public string? Principal { get; internal set; }

    /// <summary>The Query protocol's <c>Action</c> (STS, EC2), when it has one.</summary>
    public string? Action { get; internal set; }

    /// <summary>The request id the AWS endpoint answered with (<c>x-amzn-RequestId</c>, <c>RequestId</c>); null for Kubernetes requests.</summary>
    public string? RequestId { get; internal set; }
}

/// <summary>
/// Every request the sandbox (its AWS endpoint and each Kubernetes API) received, newest last, with the wire-level
/// ambiguities flagged. Keeps the last <see cref="Capacity"/> requests.
/// </summary>
public sealed partial class SandboxRequestLog
{
    /// <summary>Requests kept.</summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentQueue<SandboxRequestRecord> _records = new();
    private long _sequence;

    /// <summary>The sequence number of the last request recorded (0 before any).</summary>
    public long Last => Interlocked.Read(ref _sequence);

    /// <summary>The requests recorded after <paramref name="sequence"/> (see <see cref="Last"/>), oldest first.</summary>
    public IReadOnlyList<SandboxRequestRecord> Since(long sequence) => [.. _records.Where(r => r.Sequence > sequence).OrderBy(r => r.Sequence)];

    /// <summary>Records a request: its raw target and the path the server decoded from it.</summary>
    /// <param name="service">Who received it.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="rawTarget">Path and query as sent.</param>
    /// <param name="serverPath">The path as the server decoded and normalised it (ASP.NET Core <c>Request.Path</c>).</param>
    public SandboxRequestRecord Record(string service, string method, string rawTarget, string serverPath)
    {
        var (values, problems) = Analyse(rawTarget, serverPath);
        var record = new SandboxRequestRecord(Interlocked.Increment(ref _sequence), service, method, rawTarget, values, problems);
        _records.Enqueue(record);
        while (_records.Count > Capacity && _records.TryDequeue(out _))
        {
            // Trimmed to the newest Capacity.
        }
        return record;
    }

    /// <summary>The decoded values of a target and what is ambiguous about it.</summary>
    public static (IReadOnlyList<string> Values, IReadOnlyList<string> Problems) Analyse(string rawTarget, string serverPath)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var problems = new List<string>();
        var values = new List<string>();
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var rawQuery = question < 0 ? "" : rawTarget[(question + 1)..];

        for (var i = 0; i < rawTarget.Length; i++)
        {
            var c = rawTarget[i];
            if (!IsWireChar(c)) problems.Add($"unescaped {Describe(c)} at {i.ToString(CultureInfo.InvariantCulture)}");
        }
        if (BadEscape().Match(rawTarget) is { Success: true } bad) problems.Add($"malformed escape '{bad.Value}'");

        foreach (var segment in rawPath.Split('/'))
        {
            var decoded = Decode(segment);
            if (segment.Length > 0) values.Add(decoded);
            if (segment is "." or ".." || decoded is "." or "..") problems.Add($"dot segment '{segment}'");
            else if (decoded.IndexOfAny(['/', '?', '#']) >= 0 || decoded.Any(char.IsControl))
                problems.Add($"segment '{segment}' decodes to {Show(decoded)}");
        }
        foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var value = Decode((equals < 0 ? pair : pair[(equals + 1)..]).Replace('+', ' '));
            values.Add(value);
            if (value.Any(char.IsControl)) problems.Add($"query value {Show(value)} holds a control character");
        }

        // What the server made of the path must be what the client wrote, segment for segment.
        var expected = string.Join('/', rawPath.Split('/').Select(DecodeKeepingSlash));
        if (serverPath.Length > 0 && !string.Equals(expected, serverPath, StringComparison.Ordinal))
            problems.Add($"the path was normalised from {Show(expected)} to {Show(serverPath)}");
        return (values, problems);
    }

    // RFC 3986 pchar, plus '/' and '?' (path and query) and '%' (escapes, checked apart).
    private static bool IsWireChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ','
            or ';' or '=' or ':' or '@' or '/' or '?' or '%';

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    // ASP.NET Core decodes a path except %2F, which it leaves as it was written.
    private static string DecodeKeepingSlash(string segment)
    {
        var parts = EncodedSlash().Split(segment);
        var slashes = EncodedSlash().Matches(segment);
        var text = new StringBuilder(Decode(parts[0]));
        for (var i = 0; i < slashes.Count; i++) text.Append(slashes[i].Value).Append(Decode(parts[i + 1]));
        return text.ToString();
    }

    private static string Describe(char c) => c switch
    {
        ' ' => "space",
        '#' => "'#'",
        _ when char.IsControl(c) || c > '\u007e' => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private static string Show(string text)
    {
        var shown = new StringBuilder("'");
        foreach (var c in text.Length > 80 ? text[..80] : text) shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return shown.Append(text.Length > 80 ? "…'" : "'").ToString();
    }

    [GeneratedRegex("%(?![0-9A-Fa-f]{2})")]
    private static partial Regex BadEscape();

    [GeneratedRegex("%2[Ff]")]
    private static partial Regex EncodedSlash();
}
