using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpCloudTools.Testing;
using Microsoft.IdentityModel.Tokens;

namespace McpCloudTools.Server.Tests.SignIn;

/// <summary>One OAuth client of the provider, standing for one person: its token carries the username and groups.</summary>
internal sealed record OidcClient(string Id, string Username, params string[] Groups)
{
    public string Secret { get; } = "secret-" + Id;
}

/// <summary>
/// A real OpenID provider: the npm package oidc-provider 9.x run by node on a loopback port (the script beside this
/// file), installed once into a cache folder by install-oidc-provider.sh. Tokens come from its token endpoint through
/// the client-credentials grant, as JWT access tokens for the requested resource (RFC 8707). Disposing stops it.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    private static readonly Lazy<string> Folder = new(Install);
    private readonly IReadOnlyList<OidcClient> _clients;
    private readonly int _ttl;
    private readonly HttpClient _http = new();
    private Process? _node;

    private OidcProvider(int port, IReadOnlyList<OidcClient> clients, int ttl)
    {
        Port = port;
        _clients = clients;
        _ttl = ttl;
    }

    public int Port { get; }

    /// <summary>The provider's signing key (the tests hold it to forge tokens with a valid signature but bad claims).</summary>
    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };

    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>Starts a provider (on <paramref name="port"/>, or a free one) with these clients.</summary>
    public static async Task<OidcProvider> StartAsync(IReadOnlyList<OidcClient> clients, int? port = null, int ttlSeconds = 600)
    {
        var provider = new OidcProvider(port ?? TestPorts.Free(), clients, ttlSeconds);
        await provider.StartAsync();
        return provider;
    }

    /// <summary>A provider that is not running yet (the port is reserved by number only): for start-up order tests.</summary>
    public static OidcProvider NotStarted(IReadOnlyList<OidcClient> clients) => new(TestPorts.Free(), clients, 600);

    /// <summary>Starts the node process and waits until it listens.</summary>
    public async Task StartAsync()
    {
        var folder = Folder.Value;
        var script = Path.Combine(folder, "oidc-provider-tests.mjs");
        var source = Path.Combine(AppContext.BaseDirectory, "SignIn", "oidc-provider.mjs");
        if (!File.Exists(script) || File.ReadAllText(script) != File.ReadAllText(source))
        {
            var temp = script + "." + Guid.NewGuid().ToString("N");
            File.Copy(source, temp);
            File.Move(temp, script, overwrite: true);
        }

        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.Environment["OIDC_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_TTL"] = _ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_JWKS"] = Jwks();
        start.Environment["OIDC_CLIENTS"] = JsonSerializer.Serialize(_clients.Select(c => new { id = c.Id, secret = c.Secret, username = c.Username, groups = c.Groups }));
        var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _node = node;
        var errors = new StringBuilder();
        node.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        node.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await node.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                await node.WaitForExitAsync(timeout.Token);
                lock (errors)
                {
                    throw new InvalidOperationException($"oidc-provider exited ({node.ExitCode}): {errors}");
                }
            }

            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                break;
            }
        }

        _ = node.StandardOutput.ReadToEndAsync();
    }

    /// <summary>An access token (JWT) of <paramref name="clientId"/> for <paramref name="resource"/>.</summary>
    public async Task<string> TokenAsync(string clientId, string resource, string scope = "mcp.read")
    {
        var client = _clients.Single(c => c.Id == clientId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Issuer}/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["resource"] = resource, ["scope"] = scope,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client.Id}:{client.Secret}")));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>How many requests the provider has served (its metadata, keys and tokens).</summary>
    public async Task<int> ServedAsync() => JsonDocument.Parse(await _http.GetStringAsync($"{Issuer}/_test/requests")).RootElement.GetProperty("served").GetInt32();

    /// <summary>
    /// How many requests the provider has served, once that is at least <paramref name="atLeast"/> or after
    /// <paramref name="patience"/>: the server refetches metadata and keys for an unknown key id in the background, so
    /// on a loaded machine those requests may arrive after the request that caused them has been answered.
    /// </summary>
    public async Task<int> ServedAsync(int atLeast, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var served = await ServedAsync();
        while (served < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            served = await ServedAsync();
        }

        return served;
    }

    /// <summary>The provider's public signing keys (its JWKS document).</summary>
    public async Task<JsonDocument> JwksAsync() => JsonDocument.Parse(await _http.GetStringAsync($"{Issuer}/jwks"));

    /// <summary>Stops the node process (the port is free again).</summary>
    public async Task StopAsync()
    {
        if (_node is not { } node)
        {
            return;
        }

        _node = null;
        try
        {
            node.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await node.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
        finally
        {
            node.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }

    private string Jwks()
    {
        var p = SigningKey.Rsa.ExportParameters(includePrivateParameters: true);
        static string B(byte[]? b) => Base64UrlEncoder.Encode(b);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", kid = SigningKey.KeyId, alg = "RS256", use = "sig", n = B(p.Modulus), e = B(p.Exponent), d = B(p.D), p = B(p.P), q = B(p.Q), dp = B(p.DP), dq = B(p.DQ), qi = B(p.InverseQ) },
            },
        });
    }

    private static string Install()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "SignIn", "install-oidc-provider.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"install-oidc-provider.sh failed ({process.ExitCode}): {error}");
        }

        return output.Trim();
    }
}
