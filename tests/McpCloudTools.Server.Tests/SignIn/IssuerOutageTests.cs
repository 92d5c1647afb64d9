using System.Diagnostics;
using System.Net;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests.SignIn;

/// <summary>The server started before its identity provider: it serves, answers 401 saying why in its log, and recovers.</summary>
public sealed class IssuerOutageTests
{
    [Fact]
    public async Task AnUnreachableIssuerAtStart_Gets401AndOneClearLogLine_AndSignInWorksOnceTheIssuerIsUp()
    {
        var alice = new OidcClient("alice-agent", "alice", "readers");
        await using var provider = OidcProvider.NotStarted([alice]);
        var home = Directory.CreateTempSubdirectory("mct-issuer-").FullName;
        var port = TestPorts.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ServerProcess.Dll, "--transport", "http", "--urls", baseUrl, "--state", "none", "--auth-issuer", provider.Issuer })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in ServerProcess.SafeEnvironment(home))
        {
            psi.Environment[key] = value;
        }

        psi.Environment["MCPCLOUDTOOLS__AUTH__METADATAREFRESHSECONDS"] = "2";
        var stderr = new List<string>();
        using var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await TestPorts.WaitUntilUpAsync($"{baseUrl}/healthz", ServerProcess.Patience, () => process.HasExited);
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            // A well-formed, current token: only the issuer's keys can tell whether it is good.
            var unverifiable = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = provider.Issuer, Audience = $"{baseUrl}/mcp", Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new(provider.SigningKey, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
            });
            for (var i = 0; i < 3; i++)
            {
                var (status, body, _) = await McpHttp.SendAsync(http, McpHttp.Post(McpHttp.Initialize, token: unverifiable));
                status.Should().Be(HttpStatusCode.Unauthorized);
                body.Should().Contain("issuer unreachable");
            }

            string[] Unreachable() { lock (stderr) return [.. stderr.Where(l => l.Contains("cannot be reached", StringComparison.Ordinal))]; }
            var until = DateTime.UtcNow.AddSeconds(10);
            while (Unreachable().Length == 0 && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }

            Unreachable().Should().ContainSingle("the outage is reported once, not per request")
                .Which.Should().Contain(provider.Issuer).And.Contain("401").And.Contain("every 2 s");

            await provider.StartAsync();
            var token = await provider.TokenAsync(alice.Id, $"{baseUrl}/mcp");
            var served = HttpStatusCode.Unauthorized;
            until = DateTime.UtcNow.AddSeconds(30);
            while (served != HttpStatusCode.OK && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
                served = (await McpHttp.SendAsync(http, McpHttp.Post(McpHttp.Initialize, token: token))).Status;
            }

            served.Should().Be(HttpStatusCode.OK, "sign-in recovers once the issuer answers");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Directory.Delete(home, recursive: true);
        }
    }
}
