using McpCloudTools.Core.Registry;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>An instance's config is parsed when stored, and a new one takes effect at the next call.</summary>
public sealed class ReconfigureTests
{
    [Fact]
    public async Task ANewRegion_IsWhatTheNextCallUses_TheClientOfTheOldConfigIsNotReused()
    {
        await using var h = await Ec2Harness.StartAsync();
        (await h.TextAsync("ec2_instance_list", new { limit = 1 })).Should().Contain(" in us-east-1");

        await h.Mcp.Instances.UpdateAsync("ec2", null, new Dictionary<string, string> { ["region"] = "eu-west-1" });

        (await h.TextAsync("ec2_instance_list", new { limit = 1 })).Should().Contain(" in eu-west-1", "the instance's client was rebuilt from its new config");
    }

    [Fact]
    public async Task ABadConfig_IsRefusedWhenStored_WithTheValidForms_AndTheInstanceKeepsWorking()
    {
        await using var h = await Ec2Harness.StartAsync();

        var patch = () => h.Mcp.Instances.UpdateAsync("ec2", null, new Dictionary<string, string>
        {
            ["region"] = "us-east", ["role_arn"] = "arn:aws:iam::12345:role/ops", ["endpoint_url"] = "localhost:4566",
        });

        var message = (await patch.Should().ThrowAsync<RegistryException>()).Which.Message;
        message.Should().StartWith("Invalid config for ec2: region 'us-east' is not an AWS region name: use one such as us-east-1")
            .And.Contain("role_arn 'arn:aws:iam::12345:role/ops' is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name>")
            .And.Contain("endpoint_url 'localhost:4566' is not an http(s) URL");
        h.Mcp.Instances.Get("ec2").ConfigVersion.Should().Be(1);
        (await h.TextAsync("ec2_instance_list", new { limit = 1 })).Should().Contain(" in us-east-1");
    }
}
