using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins.Manifest;
using McpCloudTools.Core.Safety;
using McpCloudTools.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The build-time prompt manifest (issue 18): every prompt of every plugin is advertised from it and says exactly what
/// reflection over its method says (the SDK's whole protocol prompt: name, title, description, arguments with their
/// descriptions and required flags). <c>prompts/list</c> creates no SDK prompt; a get creates that prompt only, once,
/// and answers and refuses as the reflected prompt did.
/// </summary>
public sealed class PromptManifestTests
{
    [Fact]
    public async Task Manifest_SaysExactlyWhatReflectionSays_ForEveryPrompt()
    {
        await using var h = await McpHarness.StartAsync(ToolManifestTests.AllPlugins, new SafetyOptions());
        var compared = new List<string>();
        foreach (var plugin in h.Catalog.Plugins)
        {
            var manifest = h.Catalog.PromptsOf(plugin.Info.Type);
            var reflection = h.Catalog.PromptsByReflection(plugin.Info.Type);
            manifest.Select(p => p.ProtocolPrompt.Name).Should().Equal(reflection.Select(p => p.ProtocolPrompt.Name), $"the {plugin.Info.Type} prompts, in declaration order");
            foreach (var (m, r) in manifest.Zip(reflection))
            {
                m.Should().BeOfType<ManifestPrompt>($"{m.ProtocolPrompt.Name} is advertised from the build-time manifest");
                r.Should().NotBeOfType<ManifestPrompt>();
                Json(m.ProtocolPrompt).Should().Be(Json(r.ProtocolPrompt), m.ProtocolPrompt.Name);
                compared.Add(m.ProtocolPrompt.Name);
            }
        }

        compared.Order(StringComparer.Ordinal).Should().Equal("batch_job_troubleshoot", "ec2_instance_troubleshoot", "eks_cluster_health",
            "eks_pod_troubleshoot", "lambda_function_errors", "slurm_job_troubleshoot");
        // Describing by reflection created none of the catalog's prompts.
        h.Catalog.Plugins.SelectMany(p => h.Catalog.PromptsOf(p.Info.Type)).Cast<ManifestPrompt>().Should().OnlyContain(p => !p.IsCreated);
    }

    [Fact]
    public async Task PromptsList_CreatesNoPrompt_AndAGetCreatesOnlyThatPrompt()
    {
        await using var h = await McpHarness.StartAsync(PluginSet.AddAll, new SafetyOptions());
        var listed = await h.Client.ListPromptsAsync();
        listed.Select(p => p.Name).Should().Contain(["eks_pod_troubleshoot", "ec2_instance_troubleshoot"]);
        listed.Single(p => p.Name == "eks_pod_troubleshoot").ProtocolPrompt.Arguments!.Select(a => (a.Name, a.Description, a.Required))
            .Should().Equal(("pod", "Pod name, or namespace/name", true), ("cluster_id", "Cluster id from clusters_list; default the active cluster", false));
        var advertised = h.Tools.Prompts.ToList();
        advertised.Should().HaveCount(listed.Count).And.AllBeOfType<ManifestPrompt>()
            .And.OnlyContain(p => !((ManifestPrompt)p).IsCreated, "prompts/list reads the manifest only");

        var result = await h.Client.GetPromptAsync("eks_pod_troubleshoot", new Dictionary<string, object?> { ["pod"] = "shop/web-1" });
        ((TextContentBlock)result.Messages.Single().Content).Text.Should().StartWith("Find out why the pod shop/web-1 is failing, read-only.");
        result.Description.Should().StartWith("Playbook: why is this pod failing");
        await h.Client.GetPromptAsync("eks_pod_troubleshoot", new Dictionary<string, object?> { ["pod"] = "web-2" });

        advertised.Cast<ManifestPrompt>().Where(p => p.IsCreated).Select(p => p.ProtocolPrompt.Name).Should().Equal("eks_pod_troubleshoot");
    }

    // An absent required argument is refused naming it, as the playbook refuses a blank one (the SDK alone answered an
    // absent one with a bare "An error occurred." internal error).
    [Theory]
    [InlineData(null, "Request failed (remote): Missing prompt argument 'pod'.", McpErrorCode.InvalidParams)]
    [InlineData(" ", "Request failed (remote): Missing prompt argument 'pod'.", McpErrorCode.InvalidParams)]
    public async Task AMissingRequiredArgument_IsRefusedNamingIt(string? pod, string message, McpErrorCode code)
    {
        await using var h = await McpHarness.StartAsync(PluginSet.AddAll, new SafetyOptions());
        var arguments = new Dictionary<string, object?> { ["cluster_id"] = "eks:prod" };
        if (pod is not null) arguments["pod"] = pod;

        var act = () => h.Client.GetPromptAsync("eks_pod_troubleshoot", arguments).AsTask();

        var refusal = (await act.Should().ThrowAsync<McpProtocolException>()).Which;
        (refusal.Message, refusal.ErrorCode).Should().Be((message, code));
    }

    private static string Json(Prompt prompt) => JsonSerializer.Serialize(prompt, McpJsonUtilities.DefaultOptions);
}
