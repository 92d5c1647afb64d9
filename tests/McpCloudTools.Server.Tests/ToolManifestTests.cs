using System.Text.Json;
using CustomPlugin;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Plugins.Manifest;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using McpCloudTools.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The build-time tool manifest (issue 18): every tool of every plugin this build serves, the management tools, the
/// sample plugin's and the tests' plugin's are advertised from it, and it says exactly what reflection over their
/// methods says (the SDK's tool, compacted): the whole protocol tool, access, sensitivity, grant, wait and every
/// argument rule the call guard applies. <c>tools/list</c> creates no tool; a call creates that tool only, once.
/// </summary>
public sealed class ToolManifestTests
{
    /// <summary>Every plugin this build serves, the sample plugin and the tests' plugin (the prompt manifest's tests use it too).</summary>
    internal static void AllPlugins(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        PluginSet.AddAll(services);
        services.AddPlugin<LogsPlugin>();
        services.AddPlugin<TestPlugin>();
    }

    [Fact]
    public async Task Manifest_SaysExactlyWhatReflectionSays_ForEveryTool()
    {
        await using var h = await McpHarness.StartAsync(AllPlugins, new SafetyOptions { AllowWrite = true });
        var groups = new List<(string? Type, IReadOnlyList<ToolDescriptor> Manifest, IReadOnlyList<ToolDescriptor> Reflection)>
        {
            (null, h.Catalog.ManagementTools, h.Catalog.DescribeByReflection(null)),
        };
        groups.AddRange(h.Catalog.Plugins.Select(p => ((string?)p.Info.Type, h.Catalog.ToolsOf(p.Info.Type), h.Catalog.DescribeByReflection(p.Info.Type))));
        groups.Select(g => g.Type).Should().Contain(["ec2", "eks", "lambda", "batch", "slurm", "logs", "test"]);

        var compared = 0;
        foreach (var (type, manifest, reflection) in groups)
        {
            manifest.Select(t => t.Name).Should().Equal(reflection.Select(t => t.Name), $"the {type ?? "management"} tools, in declaration order");
            reflection.Should().NotBeEmpty();
            foreach (var (m, r) in manifest.Zip(reflection))
            {
                m.Tool.Should().BeOfType<ManifestTool>($"{m.Name} is advertised from the build-time manifest");
                r.Tool.Should().NotBeOfType<ManifestTool>();
                Json(m.Tool.ProtocolTool).Should().Be(Json(r.Tool.ProtocolTool), m.Name);
                Facts(m).Should().Be(Facts(r), m.Name);
                compared++;
            }
        }

        compared.Should().BeGreaterThan(60);
        // Describing by reflection created nothing the catalog advertises.
        h.Catalog.All.Select(t => t.Tool).OfType<ManifestTool>().Should().OnlyContain(t => !t.IsCreated);
    }

    [Fact]
    public async Task ToolsList_CreatesNoTool_AndACallCreatesOnlyThatTool()
    {
        await using var h = await McpHarness.StartAsync(AllPlugins);
        var listed = await h.Client.ListToolsAsync();
        listed.Should().Contain(t => t.Name == "plugins_list").And.Contain(t => t.Name == "ec2_instance_list");
        var advertised = h.Tools.Tools.ToList();
        advertised.Should().AllBeOfType<ManifestTool>().And.OnlyContain(t => !((ManifestTool)t).IsCreated,
            "tools/list reads the manifest only");

        var result = await h.Client.CallToolAsync("plugins_list", new Dictionary<string, object?>());
        result.IsError.Should().NotBe(true);
        ToolResults.Text(result).Should().Contain("ec2");
        await h.Client.CallToolAsync("plugins_list", new Dictionary<string, object?>());

        var created = advertised.Cast<ManifestTool>().Where(t => t.IsCreated).Select(t => t.ProtocolTool.Name);
        created.Should().Equal("plugins_list");
    }

    [Fact]
    public async Task ManifestTool_RefusesABadArgument_LikeTheReflectedTool()
    {
        await using var h = await McpHarness.StartAsync(AllPlugins);
        // The call guard checks the manifest's rules before the tool exists: the instance id rule, named in the error.
        var result = await h.Client.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["instance"] = "Not An Id!" });
        result.IsError.Should().BeTrue();
        ToolResults.Text(result).Should().Contain("instance").And.Contain("plugins_list shows the instances");
        var limit = await h.Client.CallToolAsync("ec2_instance_list", new Dictionary<string, object?> { ["limit"] = "ten" });
        limit.IsError.Should().BeTrue();
        ToolResults.Text(limit).Should().Contain("limit").And.Contain("an integer");
    }

    private static string Json(ModelContextProtocol.Protocol.Tool tool) => JsonSerializer.Serialize(tool, McpJsonUtilities.DefaultOptions);

    private static string Facts(ToolDescriptor t)
    {
        static string Rule(ArgumentRule r) => $"{r.GetType().Name}({r.Subject}|{r.MaxLength}|{r.Hint}|{r.Description})";
        var items = t.Arguments.Items.Select(a => $"{a.Name}:{a.Shape}:{a.Required}:{Rule(a.Rule)}");
        var bound = t.Arguments.Bound.Select(b => $"{b.Name}:{b.Required}:{b.Expected}:{b.TypeInfo.Type}");
        return $"plugin={t.PluginType} access={t.Access} sensitive={t.Sensitive} grant={t.Required} " +
               $"waits={t.Waits?.Argument}/{t.Waits?.DefaultSeconds}/{t.Waits?.MaxSeconds}\n" +
               $"text: {string.Join("; ", items)}\nbound: {string.Join("; ", bound)}";
    }
}
