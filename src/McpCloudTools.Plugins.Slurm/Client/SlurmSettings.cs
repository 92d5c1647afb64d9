using System.Buffers.Text;
using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>An instance's parsed config.</summary>
/// <param name="Settings">The parsed values (<see cref="SlurmSettings.Url"/> is meaningful only when <paramref name="HasUrl"/>).</param>
/// <param name="HasUrl">Whether a url is configured.</param>
internal sealed record SlurmConfig(SlurmSettings Settings, bool HasUrl)
{
    /// <summary>
    /// What an instance's calls use: against the sandbox its address and credentials, whatever the config says (they
    /// must never reach a real cluster); else the config, which must name a url and a token source.
    /// </summary>
    public SlurmSettings ForCalls(string instanceId, SandboxTarget? sandbox)
    {
        if (sandbox is not null)
        {
            return new SlurmSettings(sandbox.Endpoint, sandbox.SlurmUser, sandbox.SlurmToken, null, null, null, Settings.ClusterName, Settings.ApiVersion);
        }

        if (!HasUrl)
        {
            throw new ToolException($"Slurm instance '{instanceId}' has no url. Configure it: PATCH /api/plugins/{instanceId} with " +
                                    "{\"config\":{\"url\":\"https://head-node:6820\",\"token_file\":\"/path/to/jwt\"}} (docs/slurm.md).");
        }

        return Settings.Token is null && Settings.TokenFile is null && Settings.TokenEnv is null
            ? throw new ToolException($"Slurm instance '{instanceId}' has no token source: set token_file, token_env or token (a JWT from 'scontrol token').")
            : Settings;
    }
}

/// <summary>Where slurmrestd is, who we are, where the token comes from.</summary>
internal sealed record SlurmSettings(Uri Url, string? User, string? Token, string? TokenFile, string? TokenEnv, string? CaFile,
    string? ClusterName, SlurmApiVersion? ApiVersion)
{
    public const string UrlKey = "url";
    public const string UserKey = "user";
    public const string TokenKey = "token";
    public const string TokenFileKey = "token_file";
    public const string TokenEnvKey = "token_env";
    public const string CaFileKey = "ca_file";
    public const string ClusterNameKey = "cluster_name";
    public const string ApiVersionKey = "api_version";

    /// <summary>A token file larger than this is not a token.</summary>
    private const int MaxTokenBytes = 16 * 1024;

    public static readonly IReadOnlyList<PluginConfigKey> Keys =
    [
        new(UrlKey, "slurmrestd base URL, e.g. http://head-node:6820"),
        new(UserKey, "Slurm user sent as X-SLURM-USER-NAME (default: the token's user)"),
        new(TokenKey, "JWT from 'scontrol token' (stored in the state file; prefer token_file or token_env)", Secret: true),
        new(TokenFileKey, "File holding the JWT, re-read on every call (rotation-friendly)"),
        new(TokenEnvKey, "Environment variable holding the JWT (e.g. SLURM_JWT)"),
        new(CaFileKey, "PEM CA bundle to verify an https url against"),
        new(ClusterNameKey, "Name in the cluster id slurm:<name> (default: the cluster's own name)"),
        new(ApiVersionKey, "Pin the REST API version (v0.0.38 or v0.0.41); default: the newest both sides speak"),
    ];

    /// <summary>
    /// An instance's config, parsed and checked when the instance is created or reconfigured: the url's shape, one token
    /// source, the files it names, the names it sends. A config without a url is valid (the first-start instance waits
    /// for one); <see cref="SlurmConfig.ForCalls"/> says what is missing when it is used.
    /// </summary>
    public static SlurmConfig Parse(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = config.Text(UrlKey) is { } raw ? ParseUrl(raw) : null;
        if (config.Text(UrlKey) is { } given && url is null)
        {
            config.Problem(UrlKey, given, "is not an absolute http:// or https:// URL without credentials, query or fragment: use one like http://head-node:6820.");
        }

        var sources = new[] { TokenKey, TokenFileKey, TokenEnvKey }.Where(k => config.Text(k) is not null).ToList();
        if (sources.Count > 1)
        {
            config.Problem($"give one token source, not {string.Join(" and ", sources)}.");
        }

        var tokenEnv = config.Text(TokenEnvKey, SlurmNames.EnvironmentName);
        var tokenFile = config.Text(TokenFileKey, FileProblem);
        var caFile = config.Text(CaFileKey, FileProblem);
        if (caFile is not null && url is not null && url.Scheme != Uri.UriSchemeHttps)
        {
            config.Problem("ca_file needs an https:// url.");
        }

        var clusterName = config.Text(ClusterNameKey, SlurmNames.ClusterName);
        var version = config.Text(ApiVersionKey, v => SlurmApiVersion.Known.Any(k => k.Name == v) ? null
            : $"is not a REST API version this plugin speaks: use one of {string.Join(", ", SlurmApiVersion.Known)}.");
        var user = config.Text(UserKey, SlurmNames.User);
        config.ThrowIfInvalid();
        return new SlurmConfig(new SlurmSettings(url ?? NoUrl, user, config.Text(TokenKey), tokenFile, tokenEnv, caFile, clusterName,
            version is null ? null : SlurmApiVersion.Known.First(k => k.Name == version)), url is not null);
    }

    private static readonly Uri NoUrl = new("http://unconfigured.invalid/");

    private static string? FileProblem(string path) => File.Exists(path) ? null : "does not exist or is not readable: give the path of an existing file.";

    /// <summary>The token and user for the next call: a file or variable is read each time, so a rotated token is picked up.</summary>
    public (string User, string Token) Credentials()
    {
        var token = Token;
        if (TokenFile is { } file)
        {
            try
            {
                var info = new FileInfo(file);
                if (info.Length > MaxTokenBytes)
                {
                    throw new ToolException($"token_file {file} is {info.Length} bytes; a Slurm JWT is well under {MaxTokenBytes}. Point token_file at the token.");
                }

                token = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"Cannot read token_file {file}: {e.Message}", e);
            }
        }
        else if (TokenEnv is { } env)
        {
            token = Environment.GetEnvironmentVariable(env)
                    ?? throw new ToolException($"The environment variable {env} (token_env) is not set in the server's environment.");
        }

        token = Clean(token ?? "");
        if (token.Length == 0)
        {
            throw new ToolException("The Slurm token is empty: give a JWT from 'scontrol token' (token, token_file or token_env).");
        }

        var user = User ?? UserInToken(token)
            ?? throw new ToolException("No Slurm user: set user, or use a JWT that names one ('scontrol token username=NAME').");
        return (user, token);
    }

    // scontrol prints SLURM_JWT=<token>; people paste or save it as is.
    private static string Clean(string token)
    {
        var t = token.Trim();
        return t.StartsWith("SLURM_JWT=", StringComparison.Ordinal) ? t["SLURM_JWT=".Length..].Trim() : t;
    }

    // The 'sun' claim of Slurm's JWTs is the user name. The token is not verified here: slurmctld does that.
    private static string? UserInToken(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return doc.RootElement.TryGetProperty("sun", out var sun) && sun.ValueKind == JsonValueKind.String ? sun.GetString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static Uri? ParseUrl(string raw) =>
        Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(u.UserInfo) && string.IsNullOrEmpty(u.Query) && string.IsNullOrEmpty(u.Fragment)
            ? new Uri(u.AbsoluteUri.EndsWith('/') ? u.AbsoluteUri : u.AbsoluteUri + "/")
            : null;
}
