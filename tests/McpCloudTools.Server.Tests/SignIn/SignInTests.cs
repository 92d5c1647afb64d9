using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpCloudTools.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests.SignIn;

/// <summary>
/// Sign-in for a team, through a real OpenID provider (oidc-provider) and the official MCP client over Streamable
/// HTTP: each person's agent sees and can do exactly what that person is granted, and the audit names them.
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private static readonly OidcClient Alice = new("alice-agent", "alice", "readers");
    private static readonly OidcClient Bob = new("bob-agent", "bob", "sre");
    private static readonly OidcClient Carol = new("carol-agent", "carol", "sre", "platform");
    private OidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProvider.StartAsync([Alice, Bob, Carol]);

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task ReadCaller_SeesTheReadOnlyTools_AndIsRefusedOnAWriteTool_WhileAWriteCallerSeesTheWriteTools()
    {
        await using var server = await SignInServer.StartAsync(_provider.Issuer, ["--allow-write", .. SignInServer.TeamGrants]);
        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        var (bob, _) = await server.ConnectAsync(await _provider.TokenAsync(Bob.Id, server.Audience));
        await using var a = alice;
        await using var b = bob;

        var aliceTools = (await alice.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();
        var bobTools = (await bob.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();

        // What a read-only server advertises (38, and 44 with the sandbox's Slurm instance) less plugin_enable and
        // plugin_disable, which need admin: every tool left only reads (cluster_activate chooses the caller's own default).
        aliceTools.Should().HaveCount(42, string.Join(",", aliceTools.Select(t => t.Name)));
        aliceTools.Should().OnlyContain(t => t.Annotations!.ReadOnlyHint == true || t.Name == "cluster_activate");
        aliceTools.Select(t => t.Name).Should().NotContain(["plugin_enable", "plugin_disable"]);
        bobTools.Should().Contain(t => t.Name == "ec2_instance_stop").And.Contain(t => t.Annotations!.DestructiveHint == true);
        bobTools.Select(t => t.Name).Should().NotContain("plugin_disable");
        bobTools.Count.Should().BeGreaterThan(aliceTools.Count + 10);

        var refused = await alice.CallToolAsync("ec2_instance_stop", new Dictionary<string, object?> { ["instance_id"] = "i-0123456789abcdef0" });
        refused.IsError.Should().BeTrue();
        var text = ((TextContentBlock)refused.Content[0]).Text;
        text.Should().Contain("needs the 'write' grant").And.Contain("yours: read").And.Contain("Auth:Grants");

        var audit = await server.AuditAsync(l => l.GetProperty("tool").ValueKind == JsonValueKind.String && l.GetProperty("tool").GetString() == "ec2_instance_stop");
        audit.Should().ContainSingle();
        audit[0].GetProperty("outcome").GetString().Should().Be("refused: write");
        audit[0].GetProperty("caller").GetProperty("sub").GetString().Should().Be(Alice.Id);
        audit[0].GetProperty("caller").GetProperty("name").GetString().Should().Be("alice");
        audit[0].GetProperty("args").EnumerateArray().Select(x => x.GetString()).Should().Equal("instance_id");
        audit[0].ToString().Should().NotContain("i-0123456789abcdef0", "argument values never reach the audit");
    }

    [Fact]
    public async Task AdminDisablesAPluginOverRest_BothSessionsHearListChanged_AndEachReListsItsOwnView()
    {
        await using var server = await SignInServer.StartAsync(_provider.Issuer, ["--allow-write", .. SignInServer.TeamGrants]);
        var (alice, aliceChanges) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        var (bob, bobChanges) = await server.ConnectAsync(await _provider.TokenAsync(Bob.Id, server.Audience));
        await using var a = alice;
        await using var b = bob;
        var aliceBefore = (await alice.ListToolsAsync()).Count;
        var bobBefore = (await bob.ListToolsAsync()).Count;

        // Alice (read) is refused the mutation: 403 problem details naming the grant.
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/api/plugins/lambda/disable");
        refused.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Alice.Id, server.Audience));
        var refusal = await server.Http.SendAsync(refused);
        refusal.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refusal.Content.ReadAsStringAsync()).Should().Contain("'admin' grant");

        // A read route needs any valid token.
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/plugins");
        read.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Alice.Id, server.Audience));
        (await server.Http.SendAsync(read)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var disable = new HttpRequestMessage(HttpMethod.Post, "/api/plugins/lambda/disable");
        disable.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Carol.Id, server.Audience));
        (await server.Http.SendAsync(disable)).StatusCode.Should().Be(HttpStatusCode.OK);

        await aliceChanges.NextAsync(TimeSpan.FromSeconds(30));
        await bobChanges.NextAsync(TimeSpan.FromSeconds(30));
        var aliceAfter = (await alice.ListToolsAsync()).Select(t => t.Name).ToList();
        var bobAfter = (await bob.ListToolsAsync()).Select(t => t.Name).ToList();
        aliceAfter.Should().NotContain(n => n.StartsWith("lambda_", StringComparison.Ordinal));
        bobAfter.Should().NotContain(n => n.StartsWith("lambda_", StringComparison.Ordinal));
        aliceAfter.Count.Should().BeLessThan(aliceBefore);
        bobAfter.Count.Should().BeLessThan(bobBefore).And.BeGreaterThan(aliceAfter.Count, "each session re-lists its own view");

        var rest = await server.AuditAsync(l => l.TryGetProperty("route", out var r) && r.GetString() == "POST /api/plugins/lambda/disable", atLeast: 2);
        rest.Select(l => (l.GetProperty("caller").GetProperty("sub").GetString(), l.GetProperty("outcome").GetString()))
            .Should().BeEquivalentTo([(Alice.Id, "refused: admin"), (Carol.Id, "ok")]);
    }

    [Fact]
    public async Task TwoCallers_ActivateDifferentClusters_AndEachSeesItsOwnDefault()
    {
        await using var server = await SignInServer.StartAsync(_provider.Issuer, SignInServer.TeamGrants);
        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        var (bob, _) = await server.ConnectAsync(await _provider.TokenAsync(Bob.Id, server.Audience));
        await using var a = alice;
        await using var b = bob;
        var list = ToolResults.Text(await alice.CallToolAsync("clusters_list", new Dictionary<string, object?> { ["plugin_type"] = "eks" }));
        var ids = list.Split('\n').Select(l => l.TrimStart('*', ' ').Split(' ')[0]).Where(id => id.StartsWith("eks:", StringComparison.Ordinal)).Distinct().Take(2).ToList();
        ids.Should().HaveCount(2, list);

        ToolResults.Text(await alice.CallToolAsync("cluster_activate", new Dictionary<string, object?> { ["cluster_id"] = ids[0] })).Should().Contain(ids[0]);
        ToolResults.Text(await bob.CallToolAsync("cluster_activate", new Dictionary<string, object?> { ["cluster_id"] = ids[1] })).Should().Contain(ids[1]);

        using var aliceStatus = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        aliceStatus.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Alice.Id, server.Audience));
        using var bobStatus = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        bobStatus.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Bob.Id, server.Audience));
        JsonNode.Parse(await (await server.Http.SendAsync(aliceStatus)).Content.ReadAsStringAsync())!["activeCluster"]!.GetValue<string>().Should().Be(ids[0]);
        JsonNode.Parse(await (await server.Http.SendAsync(bobStatus)).Content.ReadAsStringAsync())!["activeCluster"]!.GetValue<string>().Should().Be(ids[1]);
        var aliceList = ToolResults.Text(await alice.CallToolAsync("clusters_list", new Dictionary<string, object?> { ["plugin_type"] = "eks" }));
        aliceList.Split('\n').Single(l => l.StartsWith('*')).Should().Contain(ids[0]);
        var bobList = ToolResults.Text(await bob.CallToolAsync("clusters_list", new Dictionary<string, object?> { ["plugin_type"] = "eks" }));
        bobList.Split('\n').Single(l => l.StartsWith('*')).Should().Contain(ids[1]);

        var audit = await server.AuditAsync(l => l.TryGetProperty("tool", out var t) && t.GetString() == "cluster_activate", atLeast: 2);
        audit.Select(l => l.GetProperty("caller").GetProperty("name").GetString()).Should().BeEquivalentTo(["alice", "bob"]);
        audit.Should().OnlyContain(l => l.GetProperty("outcome").GetString() == "ok" && l.GetProperty("transport").GetString() == "http"
            && l.GetProperty("session").GetString()!.Length > 0 && l.GetProperty("caller").GetProperty("client_id").GetString()!.EndsWith("-agent"));
    }

    [Fact]
    public async Task ACallerWithoutTheReadGrant_ListsNoResourcesOrTemplates_AndIsRefusedAResourceAReaderReads()
    {
        // Only the sre group may read: alice (readers) signs in with no grant at all.
        await using var server = await SignInServer.StartAsync(_provider.Issuer, "--auth-grant", "group:sre=read");
        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        var (bob, _) = await server.ConnectAsync(await _provider.TokenAsync(Bob.Id, server.Audience));
        await using var a = alice;
        await using var b = bob;

        var bobResources = await bob.ListResourcesAsync();
        bobResources.Should().Contain(r => r.Uri.StartsWith("ec2://", StringComparison.Ordinal));
        (await bob.ListResourceTemplatesAsync()).Should().NotBeEmpty();
        var uri = bobResources.First(r => r.Uri.StartsWith("ec2://", StringComparison.Ordinal)).Uri;
        var read = await bob.ReadResourceAsync(uri);
        ((TextResourceContents)read.Contents[0]).Text.Should().Contain("i-");

        (await alice.ListToolsAsync()).Should().BeEmpty();
        (await alice.ListResourcesAsync()).Should().BeEmpty();
        (await alice.ListResourceTemplatesAsync()).Should().BeEmpty();
        var refused = (await FluentActions.Awaiting(() => alice.ReadResourceAsync(uri).AsTask()).Should().ThrowAsync<ModelContextProtocol.McpProtocolException>()).Which;
        refused.Message.Should().Contain("needs the 'read' grant").And.Contain("yours: none").And.Contain("Auth:Grants");
        refused.ErrorCode.Should().Be(ModelContextProtocol.McpErrorCode.InvalidRequest);
        var audited = (await server.AuditAsync(l => l.TryGetProperty("resource", out _))).Should().ContainSingle().Subject;
        audited.GetProperty("outcome").GetString().Should().Be("refused: read");
        audited.GetProperty("caller").GetProperty("name").GetString().Should().Be("alice");
        audited.GetProperty("resource").GetString().Should().Be(uri);

        // Completion's live values are data too: instance ids for bob, none for alice.
        var template = new ResourceTemplateReference { Uri = "ec2://{instance}/instances/{instance_id}" };
        (await bob.CompleteAsync(template, "instance_id", "i-")).Completion.Values.Should().NotBeEmpty();
        (await alice.CompleteAsync(template, "instance_id", "i-")).Completion.Values.Should().BeEmpty();
    }

    [Fact]
    public async Task ProtectedResourceMetadata_NamesTheResourceAndTheIssuer()
    {
        await using var server = await SignInServer.StartAsync(_provider.Issuer, ["--auth-scope", "mcp.read", .. SignInServer.TeamGrants]);
        var metadata = JsonNode.Parse(await server.Http.GetStringAsync("/.well-known/oauth-protected-resource"))!;
        metadata["resource"]!.GetValue<string>().Should().Be(server.Audience);
        metadata["authorization_servers"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal(_provider.Issuer);
        metadata["scopes_supported"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("mcp.read");
        metadata["bearer_methods_supported"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("header");

        // A token without the required scope: 403 insufficient_scope; with it, served.
        var (status, _, response) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: await _provider.TokenAsync(Alice.Id, server.Audience, scope: "mcp.write")));
        status.Should().Be(HttpStatusCode.Forbidden);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("insufficient_scope");
        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: await _provider.TokenAsync(Alice.Id, server.Audience)))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForgedTokens_Get401WithTheResourceMetadata_AndAnAuditLineWithTheReason_WithoutCallingTheProviderPerRequest()
    {
        await using var server = await SignInServer.StartAsync(_provider.Issuer, SignInServer.TeamGrants);
        var good = await _provider.TokenAsync(Alice.Id, server.Audience);
        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: good))).Status.Should().Be(HttpStatusCode.OK);
        var served = await _provider.ServedAsync();

        var forged = new (string Case, string Token, string Reason)[]
        {
            ("expired", Sign(_provider.SigningKey, server.Audience, _provider.Issuer, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(-5)), "token expired"),
            ("not yet valid", Sign(_provider.SigningKey, server.Audience, _provider.Issuer, DateTime.UtcNow.AddMinutes(5), DateTime.UtcNow.AddMinutes(10)), "token not yet valid"),
            ("wrong audience", await _provider.TokenAsync(Alice.Id, "https://other.example.com/mcp"), "wrong audience"),
            ("wrong issuer", Sign(_provider.SigningKey, server.Audience, "https://evil.example.com", DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(5)), "wrong issuer"),
            ("tampered", Tamper(good), "invalid signature"),
            ("alg none", AlgNone(good), "invalid"),
            ("HMAC with the public key", HmacWithPublicKey(good, _provider.SigningKey), "invalid"),
            ("missing kid", Sign(new RsaSecurityKey(_provider.SigningKey.Rsa), server.Audience, _provider.Issuer, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(5)), "unknown signing key"),
            ("garbage", "not-a-token", "malformed token"),
            ("garbage JWT shape", "eyJ.eyJ.sig", "malformed token"),
        };
        foreach (var (name, token, _) in forged)
        {
            var (status, body, response) = await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: token));
            status.Should().Be(HttpStatusCode.Unauthorized, name);
            response.Headers.WwwAuthenticate.ToString().Should().Be($"Bearer resource_metadata=\"{server.BaseUrl}/.well-known/oauth-protected-resource/mcp\"", name);
            body.Should().Contain("Authorization: Bearer", name);
        }

        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize))).Status.Should().Be(HttpStatusCode.Unauthorized);
        var audit = await server.AuditAsync(l => l.GetProperty("outcome").GetString()!.StartsWith("unauthenticated", StringComparison.Ordinal), atLeast: forged.Length + 1);
        audit.Select(l => l.GetProperty("outcome").GetString()).Should().HaveCount(forged.Length + 1);
        for (var i = 0; i < forged.Length; i++)
        {
            audit[i].GetProperty("outcome").GetString().Should().StartWith("unauthenticated: " + forged[i].Reason, forged[i].Case);
            audit[i].GetProperty("route").GetString().Should().Be("POST /mcp");
            audit[i].TryGetProperty("caller", out _).Should().BeFalse();
        }

        audit[^1].GetProperty("outcome").GetString().Should().Be("unauthenticated: no bearer token");
        // The wrong-audience token came from the provider, and the token without a known kid made the server refetch the
        // metadata and keys once (a rotated key is found that way), in the background; nothing else reached the provider.
        (await _provider.ServedAsync(atLeast: served + 3, ServerProcess.Patience)).Should().Be(served + 3);
        served = await _provider.ServedAsync();
        foreach (var (_, token, _) in forged.Concat(forged))
        {
            await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: token));
        }

        (await McpHttp.SendAsync(server.Http, McpHttp.Post(McpHttp.Initialize, token: good))).Status.Should().Be(HttpStatusCode.OK);
        (await _provider.ServedAsync()).Should().Be(served, "keys are cached: the provider is not called per request, even for unknown kids");
    }

    private static string Sign(SecurityKey key, string audience, string issuer, DateTime notBefore, DateTime expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, NotBefore = notBefore, Expires = expires, IssuedAt = notBefore,
            Subject = new ClaimsIdentity([new Claim("sub", "mallory"), new Claim("groups", "platform")]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["groups"] = new JsonArray("platform", "sre");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static string AlgNone(string token) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""")}.{token.Split('.')[1]}.";

    private static string HmacWithPublicKey(string token, RsaSecurityKey key)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"HS256","typ":"at+jwt","kid":"{{key.KeyId}}"}""");
        var input = $"{header}.{token.Split('.')[1]}";
        var publicPem = key.Rsa.ExportSubjectPublicKeyInfoPem();
        var signature = HMACSHA256.HashData(Encoding.ASCII.GetBytes(publicPem), Encoding.ASCII.GetBytes(input));
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }
}
