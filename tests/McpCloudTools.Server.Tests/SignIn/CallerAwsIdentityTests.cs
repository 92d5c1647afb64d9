using System.Net;
using System.Net.Http.Json;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests.SignIn;

/// <summary>
/// An instance with <c>caller_role_arn</c> calls AWS as each signed-in caller: the sandbox's STS checks each caller's
/// own token against the provider's keys (as IAM does for an OpenID Connect provider), and every EC2 call is signed
/// with that caller's role session, which the sandbox records.
/// </summary>
public sealed class CallerAwsIdentityTests : IAsyncLifetime
{
    private const string Role = "arn:aws:iam::123456789012:role/engineer";
    private static readonly OidcClient Alice = new("alice-agent", "alice", "readers");
    private static readonly OidcClient Bob = new("bob-agent", "bob.o'neil", "sre");
    private static readonly OidcClient Carol = new("carol-agent", "carol", "platform");
    private OidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProvider.StartAsync([Alice, Bob, Carol]);

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task EachCallersEc2Calls_AreSignedWithTheirOwnRoleSession_FromTheirOwnToken()
    {
        await using var server = await StartWithCallerInstanceAsync("{audience}");
        var sandbox = await server.Services.GetRequiredService<SandboxMode>().Host;
        var before = sandbox.Requests.Last;

        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        var (bob, _) = await server.ConnectAsync(await _provider.TokenAsync(Bob.Id, server.Audience));
        await using var a = alice;
        await using var b = bob;
        var aliceList = await alice.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["instance"] = "ec2-me" });
        var bobList = await bob.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["instance"] = "ec2-me" });
        aliceList.IsError.Should().NotBe(true, aliceList.Text());
        bobList.IsError.Should().NotBe(true, bobList.Text());
        await alice.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["instance"] = "ec2-me" });

        var records = sandbox.Requests.Since(before);
        var assumed = records.Where(r => r.Action == "AssumeRoleWithWebIdentity").Select(r => r.Principal).ToList();
        assumed.Should().BeEquivalentTo([$"web-identity:{_provider.Issuer}#{Alice.Id}", $"web-identity:{_provider.Issuer}#{Bob.Id}"],
            "each caller's own token, once each: the credentials are cached per caller");
        var ec2 = records.Where(r => r.Action == "DescribeInstances").Select(r => r.Principal).ToList();
        ec2.Should().Contain($"arn:aws:sts::123456789012:assumed-role/engineer/alice")
            .And.Contain("arn:aws:sts::123456789012:assumed-role/engineer/bob.o-neil", "the session name is sanitised to STS's rules");
        ec2.Should().OnlyContain(p => p == "arn:aws:sts::123456789012:assumed-role/engineer/alice" || p == "arn:aws:sts::123456789012:assumed-role/engineer/bob.o-neil");
        ec2.Count(p => p!.EndsWith("/alice", StringComparison.Ordinal)).Should().BeGreaterThan(ec2.Count(p => p!.EndsWith("/bob.o-neil", StringComparison.Ordinal)) - 1);

        var audit = await server.AuditAsync(l => l.TryGetProperty("tool", out var t) && t.GetString() == "ec2_instance_list", atLeast: 3);
        audit.Should().OnlyContain(l => l.GetProperty("instance").GetString() == "ec2-me");
    }

    [Fact]
    public async Task ACallerInstancesResources_AreListedReadAndCompletedAsTheCaller_AndTheReadIsAudited()
    {
        await using var server = await StartWithCallerInstanceAsync("{audience}");
        var sandbox = await server.Services.GetRequiredService<SandboxMode>().Host;
        var before = sandbox.Requests.Last;
        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        await using var a = alice;

        var resources = await alice.ListResourcesAsync();
        var mine = resources.Where(r => r.Uri.StartsWith("ec2://ec2-me/", StringComparison.Ordinal)).ToList();
        mine.Should().NotBeEmpty("the caller instance's resources are listed with the caller's own credentials");
        var read = await alice.ReadResourceAsync(mine[0].Uri);
        ((TextResourceContents)read.Contents[0]).Text.Should().Contain("i-");
        // Every read is audited naming the person: a template's as its tool's call, any other URI (a plugin's own
        // resources, or none) as a read of that resource.
        (await server.AuditAsync(l => l.TryGetProperty("tool", out var t) && t.GetString() == "ec2_instance_describe"))
            .Should().ContainSingle().Which.GetProperty("caller").GetProperty("name").GetString().Should().Be("alice");
        var unknown = () => alice.ReadResourceAsync("ec2://ec2-me/reports/latest").AsTask();
        (await unknown.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain("Unknown resource 'ec2://ec2-me/reports/latest'");
        var audited = (await server.AuditAsync(l => l.TryGetProperty("resource", out _))).Should().ContainSingle().Subject;
        audited.GetProperty("resource").GetString().Should().Be("ec2://ec2-me/reports/latest");
        audited.GetProperty("caller").GetProperty("name").GetString().Should().Be("alice");
        audited.GetProperty("instance").GetString().Should().Be("ec2-me");
        audited.GetProperty("outcome").GetString().Should().Be("not found");
        var completion = await alice.CompleteAsync(new CompleteRequestParams
        {
            Ref = new ResourceTemplateReference { Uri = "ec2://{instance}/instances/{instance_id}" },
            Argument = new Argument { Name = "instance_id", Value = "i-" },
            Context = new CompleteContext { Arguments = new Dictionary<string, string> { ["instance"] = "ec2-me" } },
        });
        completion.Completion.Values.Should().NotBeEmpty("completion asks the caller instance as the caller");
        // A completion that read live values is audited like a call; the same one again within seconds comes from the
        // cache, reads nothing, and has no line.
        var completed = (await server.AuditAsync(l => l.TryGetProperty("completion", out _))).Should().ContainSingle().Subject;
        completed.GetProperty("completion").GetString().Should().Be("ec2://{instance}/instances/{instance_id}#instance_id");
        completed.GetProperty("caller").GetProperty("name").GetString().Should().Be("alice");
        completed.GetProperty("instance").GetString().Should().Be("ec2-me");
        completed.GetProperty("outcome").GetString().Should().Be("ok");
        completed.GetProperty("aws_request_ids").GetArrayLength().Should().BeGreaterThan(0, "CloudTrail's ids of the reads made in her name");
        await alice.CompleteAsync(new CompleteRequestParams
        {
            Ref = new ResourceTemplateReference { Uri = "ec2://{instance}/instances/{instance_id}" },
            Argument = new Argument { Name = "instance_id", Value = "i-0" },
            Context = new CompleteContext { Arguments = new Dictionary<string, string> { ["instance"] = "ec2-me" } },
        });
        // The trail is written in order: once a later line is there, a line for that completion would be too.
        await unknown.Should().ThrowAsync<McpException>();
        (await server.AuditAsync(l => l.TryGetProperty("resource", out _), atLeast: 2)).Should().HaveCount(2);
        (await server.AuditAsync(l => l.TryGetProperty("completion", out _))).Should().ContainSingle();

        var records = sandbox.Requests.Since(before);
        records.Where(r => r.Action == "AssumeRoleWithWebIdentity").Select(r => r.Principal).Should().Equal($"web-identity:{_provider.Issuer}#{Alice.Id}");
        records.Where(r => r.Action == "DescribeInstances" && r.Principal!.Contains("engineer", StringComparison.Ordinal)).Select(r => r.Principal)
            .Should().HaveCountGreaterThanOrEqualTo(3).And.OnlyContain(p => p == "arn:aws:sts::123456789012:assumed-role/engineer/alice");
    }

    [Fact]
    public async Task ATokenForAnotherAudience_IsRefusedByStsWithAwsError_AsAnActionableToolError()
    {
        await using var server = await StartWithCallerInstanceAsync("sts.amazonaws.com");
        var (alice, _) = await server.ConnectAsync(await _provider.TokenAsync(Alice.Id, server.Audience));
        await using var a = alice;

        var result = await alice.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["instance"] = "ec2-me" });

        result.IsError.Should().BeTrue();
        var text = result.Text();
        text.Should().Contain("InvalidIdentityToken").And.Contain("Incorrect token audience").And.Contain(Role)
            .And.Contain("list your token's audience as a client id").And.Contain("as alice");
        text.Should().NotContain(await _provider.TokenAsync(Alice.Id, server.Audience));
    }

    /// <summary>
    /// A signed-in server that exchanges callers' tokens for <paramref name="audience"/> (<c>{audience}</c>: the server's own),
    /// with the team's grants and the instance <c>ec2-me</c> acting as each caller (created over REST by carol, the admin).
    /// </summary>
    private async Task<SignInServer> StartWithCallerInstanceAsync(string audience)
    {
        var server = await SignInServer.StartAsync(_provider.Issuer,
            ["--web-identity-issuer", _provider.Issuer, "--web-identity-audience", audience, .. SignInServer.TeamGrants]);
        try
        {
            await CreateCallerInstanceAsync(server);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task CreateCallerInstanceAsync(SignInServer server)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/plugins")
        {
            Content = JsonContent.Create(new { type = "ec2", id = "ec2-me", config = new Dictionary<string, string> { ["caller_role_arn"] = Role } }),
        };
        create.Headers.Authorization = new("Bearer", await _provider.TokenAsync(Carol.Id, server.Audience));
        var response = await server.Http.SendAsync(create);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
