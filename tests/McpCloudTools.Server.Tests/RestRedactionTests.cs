using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Instance config is shown with the tools' redaction rules: a secret key (external_id) reads [redacted] in the REST
/// API and in plugins_list unless --allow-sensitive-data; role ARNs and profile names are shown, as tools show them.
/// </summary>
public sealed class RestRedactionTests
{
    private const string Secret = "ext-id-7f3a9c1e-canary";

    private static async Task CreateAsync(ServerProcess server, bool redacted = true)
    {
        using var created = await server.Http.PostAsJsonAsync("/api/plugins", new
        {
            type = "ec2", id = "ec2-prod", displayName = "Prod",
            config = new Dictionary<string, string> { ["role_arn"] = "arn:aws:iam::123456789012:role/ops", ["external_id"] = Secret, ["profile"] = "prod" },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        if (redacted)
        {
            (await created.Content.ReadAsStringAsync()).Should().NotContain(Secret, "the create answer shows config too");
        }
    }

    [Fact]
    public async Task ExternalIds_AreRedacted_InRestAndInPluginsList()
    {
        await using var server = await ServerProcess.StartStdioAsync([], rest: true);
        await CreateAsync(server);

        foreach (var path in new[] { "/api/plugins", "/api/plugins/ec2-prod" })
        {
            var text = await server.Http.GetStringAsync(path);
            text.Should().NotContain(Secret, path);
            text.Should().Contain("\"external_id\":\"[redacted]\"").And.Contain("arn:aws:iam::123456789012:role/ops").And.Contain("\"profile\":\"prod\"");
        }

        var types = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugin-types");
        types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "ec2").GetProperty("configKeys").EnumerateArray()
            .Where(k => k.GetProperty("secret").GetBoolean()).Select(k => k.GetProperty("name").GetString()).Should().Equal("external_id");

        var list = await server.TextAsync("plugins_list");
        list.Should().NotContain(Secret).And.Contain("external_id=[redacted]").And.Contain("role_arn=arn:aws:iam::123456789012:role/ops");
    }

    [Fact]
    public async Task PatchingARedactedConfigBack_KeepsTheSecret()
    {
        await using var server = await ServerProcess.StartStdioAsync([], rest: true);
        await CreateAsync(server);
        var shown = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugins/ec2-prod");
        var config = shown.GetProperty("config").Deserialize<Dictionary<string, string>>()!;
        config["region"] = "eu-west-1";

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/plugins/ec2-prod") { Content = JsonContent.Create(new { config }) };
        using var patched = await server.Http.SendAsync(patch);

        patched.StatusCode.Should().Be(HttpStatusCode.OK);
        var state = await File.ReadAllTextAsync(server.StatePath);
        state.Should().Contain(Secret, "the placeholder did not overwrite the secret").And.Contain("eu-west-1").And.NotContain("[redacted]");
    }

    [Fact]
    public async Task WithAllowSensitiveData_ConfigIsShownInClear()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--allow-sensitive-data"], rest: true);
        await CreateAsync(server, redacted: false);

        (await server.Http.GetStringAsync("/api/plugins/ec2-prod")).Should().Contain(Secret);
        (await server.TextAsync("plugins_list")).Should().Contain($"external_id={Secret}");
    }
}
