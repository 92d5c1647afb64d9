using System.Buffers.Text;
using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>An instance's config: where slurmrestd is, who we are, where the token comes from.</summary>
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

    /// <summary>What is wrong with a config, or null.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> config)
    {
        try
        {
            return FirstProblem(config);
        }
        catch (ToolException e)
        {
            return e.Message;
        }
    }

    private static string? FirstProblem(IReadOnlyDictionary<string, string> config)
    {
        string? Get(string key) => config.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        if (Get(UrlKey) is { } url && ParseUrl(url) is null)
        {
            return $"url must be an absolute http:// or https:// URL without credentials, query or fragment (got {ArgumentText.Show(url)}), e.g. http://head-node:6820.";
        }

        var sources = new[] { TokenKey, TokenFileKey, TokenEnvKey }.Where(k => Get(k) is not null).ToList();
        if (sources.Count > 1)
        {
            return $"give one token source, not {string.Join(" and ", sources)}.";
        }

        if (Get(TokenEnvKey) is { } env && Refusal(TokenEnvKey, env, SlurmNames.EnvironmentName) is { } badEnv)
        {
            return badEnv;
        }

        foreach (var key in new[] { TokenFileKey, CaFileKey })
        {
            if (Get(key) is { } path && !File.Exists(path))
            {
                return $"{key} {ArgumentText.Show(path)} does not exist or is not readable.";
            }
        }

        if (Get(CaFileKey) is not null && Get(UrlKey) is { } u && !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "ca_file needs an https:// url.";
        }

        if (Get(ClusterNameKey) is { } name && Refusal(ClusterNameKey, name, SlurmNames.ClusterName) is { } badName)
        {
            return badName;
        }

        if (Get(ApiVersionKey) is { } version && !SlurmApiVersion.Known.Any(v => v.Name == version))
        {
            return $"api_version must be one of {string.Join(", ", SlurmApiVersion.Known)} (got {ArgumentText.Show(version)}).";
        }

        return Get(UserKey) is { } user ? Refusal(UserKey, user, SlurmNames.User) : null;
    }

    private static string? Refusal(string key, string value, ArgumentRule rule) =>
        rule.Problem(value) is { } problem ? ArgumentError.Invalid(key, value, problem, rule).Message : null;

    /// <summary>The settings of an instance, or a message saying what to configure.</summary>
    public static SlurmSettings From(PluginInstance instance, SandboxTarget? sandbox)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var version = instance.Get(ApiVersionKey) is { } v ? SlurmApiVersion.Known.FirstOrDefault(k => k.Name == v) : null;
        if (sandbox is not null)
        {
            // The sandbox's address and credentials, whatever the config says: they must never reach a real cluster.
            return new SlurmSettings(sandbox.Endpoint, sandbox.SlurmUser, sandbox.SlurmToken, null, null, null, instance.Get(ClusterNameKey), version);
        }

        if (instance.Get(ClusterNameKey) is { } name && Refusal(ClusterNameKey, name.Trim(), SlurmNames.ClusterName) is { } badName)
        {
            throw new ToolException($"Slurm instance '{instance.Id}': {badName}");
        }

        var url = instance.Get(UrlKey) is { } raw
            ? ParseUrl(raw) ?? throw new ToolException($"Slurm instance '{instance.Id}' has an invalid url; set an http(s) URL of slurmrestd (PATCH /api/plugins/{instance.Id}).")
            : throw new ToolException($"Slurm instance '{instance.Id}' has no url. Configure it: PATCH /api/plugins/{instance.Id} with " +
                                      "{\"config\":{\"url\":\"https://head-node:6820\",\"token_file\":\"/path/to/jwt\"}} (docs/slurm.md).");
        if (instance.Get(TokenKey) is null && instance.Get(TokenFileKey) is null && instance.Get(TokenEnvKey) is null)
        {
            throw new ToolException($"Slurm instance '{instance.Id}' has no token source: set token_file, token_env or token (a JWT from 'scontrol token').");
        }

        return new SlurmSettings(url, instance.Get(UserKey), instance.Get(TokenKey), instance.Get(TokenFileKey), instance.Get(TokenEnvKey),
            instance.Get(CaFileKey), instance.Get(ClusterNameKey), version);
    }

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
