using McpCloudTools.Core;
using McpCloudTools.Core.Registry;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>Instance config: checked when it is stored, the token never shown, the default instance off until configured.</summary>
public sealed class ConfigTests
{
    [Theory]
    [InlineData("url", "ftp://head:6820", "url 'ftp://head:6820' is not an absolute http:// or https:// URL without credentials, query or fragment: use one like http://head-node:6820")]
    [InlineData("url", "https://user:pw@head:6820", "url 'https://user:pw@head:6820' is not an absolute http:// or https:// URL without credentials")]
    [InlineData("token_env", "NOT-A-NAME", "Invalid token_env 'NOT-A-NAME': it contains '-' at position 4. An environment variable name is letters")]
    [InlineData("token_file", "/nonexistent/jwt", "token_file '/nonexistent/jwt' does not exist")]
    [InlineData("api_version", "v0.0.99", "api_version 'v0.0.99' is not a REST API version this plugin speaks: use one of v0.0.41, v0.0.38")]
    [InlineData("cluster_name", "../x", "Invalid cluster_name '../x': it contains '/' at position 3. A cluster name is letters")]
    [InlineData("user", "bob smith", "Invalid user 'bob smith': it contains ' ' (a space) at position 4. A user name is letters")]
    public async Task BadConfig_IsRefusedAtCreate_WithWhatIsValid(string key, string value, string message)
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>());
        var create = () => h.Instances.CreateAsync("slurm", "bad", config: new Dictionary<string, string> { ["url"] = "https://head:6820", [key] = value });
        (await create.Should().ThrowAsync<RegistryException>().WithMessage($"Invalid config for slurm: *{message}*"))
            .Which.Kind.Should().Be(RegistryErrorKind.Invalid);
        h.Instances.All.Select(i => i.Id).Should().NotContain("bad");
    }

    [Fact]
    public async Task TwoTokenSources_AreRefused()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>());
        var create = () => h.Instances.CreateAsync("slurm", "bad", config: new Dictionary<string, string> { ["token"] = "a.b.c", ["token_env"] = "SLURM_JWT" });
        await create.Should().ThrowAsync<RegistryException>().WithMessage("*give one token source, not token and token_env*");
    }

    [Fact]
    public async Task TheToken_IsNeverShown_AndTheDefaultInstanceIsOffWithoutTheSandbox()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>());
        h.Instances.Get("slurm").Enabled.Should().BeFalse();
        (await h.ToolNamesAsync()).Should().NotContain(n => n.StartsWith("slurm_", StringComparison.Ordinal));
        await h.Instances.CreateAsync("slurm", "pc", config: new Dictionary<string, string> { ["url"] = "http://127.0.0.1:9", ["token"] = "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJib2IifQ.c2VjcmV0LXNpZ25hdHVyZQ" });
        var listed = (await h.CallAsync("plugins_list", new { check_health = true })).Text();
        listed.Should().Contain("token=[redacted]").And.NotContain("c2VjcmV0").And.Contain("Cannot reach slurmrestd at http://127.0.0.1:9/");
        (await h.ToolNamesAsync()).Should().Contain("slurm_job_list");
    }

    [Fact]
    public async Task AnUnconfiguredInstance_SaysWhatToConfigure()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>());
        await h.Instances.SetEnabledAsync("slurm", true);
        var result = await h.CallAsync("slurm_job_list");
        result.IsError.Should().BeTrue();
        result.Text().Should().Contain("Slurm instance 'slurm' has no url").And.Contain("PATCH /api/plugins/slurm");
    }
}
