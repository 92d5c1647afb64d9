using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace McpCloudTools.Sandbox.Services.Sts;

/// <summary>
/// STS over the Query protocol: <c>GetCallerIdentity</c> (also presigned, as EKS tokens are), <c>AssumeRole</c>
/// issuing temporary keys the sandbox then accepts, and the unsigned <c>AssumeRoleWithWebIdentity</c>.
/// </summary>
public sealed partial class StsService(SandboxContext context) : ISandboxService
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly WebIdentityTokens _webIdentity = new(context.Options);
    private long _calls;

    /// <inheritdoc />
    public string SigningName => "sts";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.Query;

    /// <inheritdoc />
    public string? XmlNamespace => Namespace;

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario)
    {
        // STS has no state beyond the keys the frame already knows.
    }

    /// <inheritdoc />
    public bool ClaimsUnsigned(SandboxRequest request) =>
        request.Query.Action is "AssumeRoleWithWebIdentity" or "AssumeRoleWithSAML";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary() => new Dictionary<string, long> { ["calls"] = Interlocked.Read(ref _calls) };

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _calls);
        var query = request.Query;
        return query.Action switch
        {
            "GetCallerIdentity" => GetCallerIdentityAsync(request, cancellationToken),
            "AssumeRole" => AssumeRoleAsync(request, request.RequireCaller(), query.Required("RoleArn"),
                query.Required("RoleSessionName"), query.GetInt("DurationSeconds"), cancellationToken),
            "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentityAsync(request, cancellationToken),
            null => throw new SandboxApiException(400, "MissingAction", "Missing Action"),
            var other => throw new SandboxApiException(400, "InvalidAction",
                $"Could not find operation {other} for version 2011-06-15"),
        };
    }

    private static Task GetCallerIdentityAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var caller = request.RequireCaller();
        return QueryXml.WriteQueryAsync(request, "GetCallerIdentity", Namespace, w =>
        {
            w.WriteElementString("Arn", caller.Arn);
            w.WriteElementString("UserId", caller.UserId);
            w.WriteElementString("Account", caller.Account);
        }, cancellationToken);
    }

    private async Task AssumeRoleWithWebIdentityAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        string? subject = null;
        if (context.Options.WebIdentityIssuer is not null)
        {
            // As IAM with an OpenID Connect provider: the token is checked before anything else.
            var (issuer, sub) = await _webIdentity.ValidateAsync(query.Required("WebIdentityToken"), cancellationToken).ConfigureAwait(false);
            subject = sub;
            request.Record?.Principal = $"web-identity:{issuer}#{sub}";
        }

        await AssumeRoleAsync(request, null, query.Required("RoleArn"), query.Required("RoleSessionName"), query.GetInt("DurationSeconds"),
            cancellationToken, subject).ConfigureAwait(false);
    }

    private Task AssumeRoleAsync(SandboxRequest request, SandboxPrincipal? caller, string roleArn, string sessionName,
        int? durationSeconds, CancellationToken cancellationToken, string? webIdentitySubject = null)
    {
        if (!SessionNamePattern().IsMatch(sessionName))
            throw new SandboxApiException(400, "ValidationError",
                $"1 validation error detected: Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        if (!RoleArnPattern().IsMatch(roleArn))
            throw new SandboxApiException(400, "ValidationError",
                $"1 validation error detected: Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid role ARN");
        if (!roleArn.Contains($"::{context.AccountId}:", StringComparison.Ordinal))
            throw new SandboxApiException(403, "AccessDenied",
                $"User: {caller?.Arn ?? "anonymous"} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        var duration = TimeSpan.FromSeconds(durationSeconds ?? 3600);
        if (duration < TimeSpan.FromMinutes(15) || duration > TimeSpan.FromHours(12))
            throw new SandboxApiException(400, "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        // Keys expire on the real clock: they are checked against real signing times.
        var session = context.Credentials.IssueRoleSession(roleArn, sessionName, duration, DateTimeOffset.UtcNow);
        var action = caller is null ? "AssumeRoleWithWebIdentity" : "AssumeRole";
        return QueryXml.WriteQueryAsync(request, action, Namespace, w =>
        {
            w.WriteStartElement("Credentials");
            w.WriteElementString("AccessKeyId", session.AccessKey);
            w.WriteElementString("SecretAccessKey", session.SecretKey);
            w.WriteElementString("SessionToken", session.SessionToken);
            w.WriteElementString("Expiration",
                session.Expiration!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteStartElement("AssumedRoleUser");
            w.WriteElementString("AssumedRoleId", session.UserId);
            w.WriteElementString("Arn", session.Arn);
            w.WriteEndElement();
            if (caller is null) w.WriteElementString("SubjectFromWebIdentityToken", webIdentitySubject ?? "system:serviceaccount:default:sandbox");
        }, cancellationToken);
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArnPattern();
}
