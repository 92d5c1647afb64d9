using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Plugin instances and clusters declared in appsettings.json and MCPCLOUDTOOLS__… variables, on the spawned server
/// against its sandbox: they serve tools, show as declared, cannot be changed at run time, never reach the state file,
/// are gone when the declaration is, and a bad one stops the start with one line naming its key path.
/// </summary>
public sealed class DeclaredInstancesTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mct-declared-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task ASecondRegionDeclaredByEnvironment_ServesTools_ShowsAsDeclared_AndRefusesRuntimeChanges()
    {
        var environment = new Dictionary<string, string?>
        {
            ["MCPCLOUDTOOLS__INSTANCES__EC2-WEST__TYPE"] = "ec2",
            ["MCPCLOUDTOOLS__INSTANCES__EC2-WEST__DISPLAYNAME"] = "EC2 Ireland",
            ["MCPCLOUDTOOLS__INSTANCES__EC2-WEST__CONFIG__REGION"] = "eu-west-1",
            ["MCPCLOUDTOOLS__CLUSTERS__BATCHPROD__PLUGIN"] = "batch",
            ["MCPCLOUDTOOLS__CLUSTERS__BATCHPROD__NAME"] = "declared-ce",
        };
        await using (var server = await ServerProcess.StartStdioAsync(["--sandbox"], rest: true, environment: environment, home: _home))
        {
            var plugins = await server.TextAsync("plugins_list");
            plugins.Should().MatchRegex(@"ec2-west\s+ec2\s+yes\s+\S+\s+\d+\s+declared\s+region=eu-west-1", "the declared instance is listed as declared");
            plugins.Should().NotMatchRegex(@"(?m)^ec2\s", "a type with a declared instance gets no first-start default instance");

            var zones = await server.TextAsync("ec2_instance_list", new { instance = "ec2-west" });
            zones.Should().Contain("eu-west-1").And.NotContain("us-east-1", "the declared instance serves its own region");

            var rest = await server.Http.GetFromJsonAsync<JsonElement>("/api/plugins/ec2-west");
            rest.GetProperty("source").GetString().Should().Be("declared");
            rest.GetProperty("declaredAt").GetString().Should().Be("McpCloudTools:Instances:EC2-WEST");
            (await server.Http.GetFromJsonAsync<JsonElement>("/api/plugins/batch")).GetProperty("source").GetString().Should().Be("stored");

            var disable = await server.Http.PostAsync("/api/plugins/ec2-west/disable", null);
            disable.StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await disable.Content.ReadAsStringAsync()).Should().Contain("declared in the server's configuration (McpCloudTools:Instances:EC2-WEST)")
                .And.Contain("restart");
            (await server.Http.DeleteAsync("/api/plugins/ec2-west")).StatusCode.Should().Be(HttpStatusCode.Conflict);

            var viaMcp = await server.CallAsync("plugin_disable", new { id = "ec2-west" });
            viaMcp.IsError.Should().BeTrue();
            ((TextContentBlock)viaMcp.Content[0]).Text.Should().Contain("declared in the server's configuration");

            var clusters = await server.TextAsync("clusters_list", new { plugin_type = "batch" });
            clusters.Should().MatchRegex(@"batch:declared-ce\s+batch\s.*declared");
            var removeCluster = await server.Http.DeleteAsync("/api/clusters/batch:declared-ce");
            removeCluster.StatusCode.Should().Be(HttpStatusCode.Conflict);

            var state = await File.ReadAllTextAsync(Path.Combine(_home, "state.json"));
            state.Should().NotContain("ec2-west").And.NotContain("declared-ce", "the store never holds a declaration");
        }

        // The declaration removed: the instance and the cluster are gone at the next start.
        await using (var again = await ServerProcess.StartStdioAsync(["--sandbox"], home: _home))
        {
            var plugins = await again.TextAsync("plugins_list");
            plugins.Should().NotContain("ec2-west");
            (await again.TextAsync("clusters_list", new { plugin_type = "batch" })).Should().NotContain("declared-ce");
        }
    }

    [Fact]
    public async Task AKubeconfigContextDeclaredInAppsettings_BecomesACluster_AndWinsOverTheStoredInstance()
    {
        var kubeconfig = Path.Combine(_home, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: lab
              cluster: { server: "https://127.0.0.1:1" }
            users:
            - name: lab
              user: { token: "x" }
            contexts:
            - name: lab
              context: { cluster: lab, user: lab }
            current-context: lab
            """);

        var settings = Path.Combine(Directory.CreateDirectory(Path.Combine(_home, ".config", "mcp-cloud-tools")).FullName, "appsettings.json");
        await using (var first = await ServerProcess.StartStdioAsync(["--sandbox"], home: _home))
        {
            (await first.TextAsync("plugins_list")).Should().MatchRegex(@"(?m)^eks\s+eks\s+yes\s+\S+\s+\d+\s+stored\s*$", "a first start stores a default eks instance");
        }

        await File.WriteAllTextAsync(settings, $$"""
            { "McpCloudTools": { "Instances": { "eks": { "Type": "eks", "Config": { "kubeconfig": "{{kubeconfig}}", "kubeconfig_contexts": "lab" } } } } }
            """);
        await using (var declared = await ServerProcess.StartStdioAsync(["--sandbox"], home: _home))
        {
            (await declared.TextAsync("plugins_list")).Should().MatchRegex(@"\neks\s+eks\s+yes\s+\S+\s+\d+\s+declared\s+kubeconfig=\S+ kubeconfig_contexts=lab",
                "the declaration wins over the stored instance of the same id");
            (await declared.TextAsync("clusters_list", new { plugin_type = "eks" })).Should().MatchRegex(@"\blab\b");
        }

        File.Delete(settings);
        await using (var after = await ServerProcess.StartStdioAsync(["--sandbox"], home: _home))
        {
            (await after.TextAsync("plugins_list")).Should().MatchRegex(@"(?m)^eks\s+eks\s+yes\s+\S+\s+\d+\s+stored\s*$",
                "without the declaration the instance stored before shows again as it was");
        }
    }

    [Theory]
    [InlineData("MCPCLOUDTOOLS__INSTANCES__BAD__TYPE", "nope", "McpCloudTools:Instances:BAD: Unknown plugin type 'nope'")]
    [InlineData("MCPCLOUDTOOLS__INSTANCES__EC2-MARS__CONFIG__REGION", "mars-1", "McpCloudTools:Instances:EC2-MARS: Type is missing")]
    [InlineData("MCPCLOUDTOOLS__INSTANCES__EC2__ENABLED", "maybe", "McpCloudTools:Instances:EC2:Enabled: 'maybe' is not true or false")]
    [InlineData("MCPCLOUDTOOLS__INSTANCES__EC2__COLOUR", "blue", "McpCloudTools:Instances:EC2:COLOUR: unknown key 'COLOUR'")]
    [InlineData("MCPCLOUDTOOLS__CLUSTERS__X__PLUGIN", "eks", "McpCloudTools:Clusters:X: A cluster needs a name")]
    public async Task ABadDeclaration_StopsTheStart_WithOneLineNamingItsKeyPath_AndExit2(string key, string value, string expected)
    {
        var run = await ServerProcess.RunToExitAsync(_home, permissionsEnforced: false, new Dictionary<string, string?> { [key] = value },
            "--sandbox", "--state", Path.Combine(_home, "state.json"));

        run.Code.Should().Be(2, run.Stderr);
        run.Stderr.Trim().Should().StartWith("mcp-cloud-tools: " + expected).And.NotContain("\n").And.NotContain("Exception");
    }

    [Fact]
    public async Task ADeclaredConfigThatItsPluginRefuses_StopsTheStart_NamingTheKeyPathAndTheValidForms()
    {
        var run = await ServerProcess.RunToExitAsync(_home, permissionsEnforced: false, new Dictionary<string, string?>
        {
            ["MCPCLOUDTOOLS__INSTANCES__EC2-MARS__TYPE"] = "ec2",
            ["MCPCLOUDTOOLS__INSTANCES__EC2-MARS__CONFIG__REGION"] = "mars-1",
        }, "--sandbox", "--state", Path.Combine(_home, "state.json"));

        run.Code.Should().Be(2, run.Stderr);
        run.Stderr.Trim().Should().StartWith("mcp-cloud-tools: McpCloudTools:Instances:EC2-MARS: Invalid config for ec2").And.Contain("mars-1")
            .And.NotContain("\n");
    }
}
