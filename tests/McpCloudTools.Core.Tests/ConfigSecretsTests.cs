using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;

namespace McpCloudTools.Core.Tests;

public sealed class ConfigSecretsTests
{
    private sealed class SecretPlugin : PluginBase
    {
        public override PluginInfo Info { get; } = new("vault", "Vault", "Test.", "x", "1.0.0");

        public override IReadOnlyList<PluginConfigKey> ConfigKeys { get; } = [new("region", "Region"), new("seal", "Unseal key", Secret: true)];

        public override IEnumerable<ModelContextProtocol.Server.McpServerTool> GetTools(PluginToolFactory tools) => [];

        public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("seal", true)]
    [InlineData("SEAL", true)]
    [InlineData("external_id", true)]
    [InlineData("client_secret", true)]
    [InlineData("api_token", true)]
    [InlineData("db_password", true)]
    [InlineData("region", false)]
    [InlineData("role_arn", false)]
    [InlineData("profile", false)]
    public void SecretKeys_AreTheDeclaredOnes_AndOnesNamedLikeSecrets(string key, bool secret) =>
        ConfigSecrets.IsSecret(new SecretPlugin(), key).Should().Be(secret);

    [Fact]
    public void Redact_HidesSecrets_AndScrubsSecretShapesInOtherValues_UnlessAllowed()
    {
        var config = new Dictionary<string, string>
        {
            ["seal"] = "s3al-k3y", ["region"] = "eu-west-1", ["endpoint"] = "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
        };

        ConfigSecrets.Redact(new SecretPlugin(), config, allowSensitive: false).Should().Equal(new Dictionary<string, string>
        {
            ["endpoint"] = "Authorization: Bearer [redacted]", ["region"] = "eu-west-1", ["seal"] = "[redacted]",
        });
        ConfigSecrets.Redact(new SecretPlugin(), config, allowSensitive: true).Should().Equal(config);
        ConfigSecrets.Redact(null, new Dictionary<string, string> { ["external_id"] = "x" }, false)["external_id"].Should().Be("[redacted]",
            "a plugin type missing from the build still has its secrets hidden");
    }
}
