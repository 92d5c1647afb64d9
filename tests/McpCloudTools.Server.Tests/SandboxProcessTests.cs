using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpCloudTools.Testing;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The built executable with all four plugins and its in-process sandbox (<c>--sandbox</c>), driven through the MCP
/// client as an agent drives it: over stdio, over stdio with the REST API beside it, and over HTTP.
/// </summary>
public sealed class SandboxProcessTests(ReadOnlySandboxProcess readOnly) : IClassFixture<ReadOnlySandboxProcess>
{
    private static readonly string[] Plugins = ["ec2", "eks", "lambda", "batch", "slurm"];
    private static readonly string[] ManagementTools = ["plugins_list", "plugin_enable", "plugin_disable", "clusters_list", "cluster_activate"];
    private static readonly string[] WriteTools = ["ec2_instance_stop", "eks_deployment_scale", "lambda_function_invoke", "batch_job_submit", "slurm_job_submit"];

    [Fact]
    public async Task ByDefault_EveryPluginsReadToolsAndTheManagementToolsAreAdvertised_AndNoWriteTool()
    {
        var tools = await readOnly.Server.ToolsAsync();

        var names = tools.Select(t => t.Name).ToList();
        foreach (var plugin in Plugins)
        {
            names.Should().Contain(n => n.StartsWith(plugin + "_", StringComparison.Ordinal), $"the {plugin} plugin is built in");
        }

        names.Should().Contain(ManagementTools).And.NotContain(WriteTools);
        tools.Where(t => Plugins.Contains(t.Name.Split('_')[0])).Should().OnlyContain(t => t.Annotations!.ReadOnlyHint == true,
            "the server is read-only unless started with --allow-write");
    }

    [Theory]
    [InlineData("ec2_instance_list", null, @"^\d+ instances in us-east-1: .*running \d+", "bastion")]
    [InlineData("eks_pod_list", "eks:prod", @"^pods of eks:prod \(all namespaces\): \d+; unhealthy \d+", "CrashLoopBackOff")]
    [InlineData("lambda_function_list", null, @"^functions: \d+ \(.*Active \d+\)$", "thumbnail-worker")]
    [InlineData("batch_job_queue_list", null, @"^\d+ job queues in us-east-1", "default-queue")]
    [InlineData("slurm_job_list", "slurm:hpc", @"^jobs of slurm:hpc: \d+; .*OUT_OF_MEMORY 1", "variant-calling")]
    public async Task EveryPlugin_AnswersFromTheSandbox(string tool, string? clusterId, string countsLine, string row)
    {
        var text = await readOnly.Server.TextAsync(tool, clusterId is null ? null : new { cluster_id = clusterId });

        text.Split('\n')[0].Should().MatchRegex(countsLine);
        text.Should().Contain(row);
    }

    [Fact]
    public async Task ByDefault_AWriteCall_IsRefusedWithTheWayToAllowIt_AndChangesNothing()
    {
        var id = await RunningInstanceAsync(readOnly.Server, "api-1");

        var refused = await readOnly.Server.CallAsync("ec2_instance_stop", new { instance_ids = new[] { id } });

        refused.IsError.Should().BeTrue();
        refused.Text().Should().Contain("'ec2_instance_stop'").And.Contain("read-only").And.Contain("--allow-write");
        (await readOnly.Server.TextAsync("ec2_instance_describe", new { instance_ids = new[] { id } })).Should().StartWith($"{id} api-1: running");
        await readOnly.Server.WaitForStderrAsync("McpCloudTools.Audit: tool ec2_instance_stop plugin ec2 refused");
    }

    [Fact]
    public async Task AllowWrite_AdvertisesWriteTools_AndAStopDryRunChangesNothing()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--sandbox", "--allow-write"]);
        var tools = await server.ToolsAsync();
        tools.Select(t => t.Name).Should().Contain(WriteTools);
        tools.Single(t => t.Name == "ec2_instance_stop").Annotations!.ReadOnlyHint.Should().BeFalse();
        var id = await RunningInstanceAsync(server, "api-1");

        var text = await server.TextAsync("ec2_instance_stop", new { instance_ids = new[] { id }, dry_run = true });

        text.Should().StartWith("Dry run:").And.Contain(id).And.Contain("Nothing changed");
        (await server.TextAsync("ec2_instance_describe", new { instance_ids = new[] { id } })).Should().StartWith($"{id} api-1: running");
    }

    [Fact]
    public async Task RestBesideStdio_DisablingAPlugin_NotifiesTheStdioClient_AndItsToolsAreGoneUntilReEnabled()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--sandbox"], rest: true);
        (await LambdaToolsAsync(server)).Should().Contain("lambda_function_list");

        using (var disabled = await server.Http.PostAsync("/api/plugins/lambda/disable", null))
        {
            disabled.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await server.Changes.NextAsync(ServerProcess.Patience);
        (await LambdaToolsAsync(server)).Should().BeEmpty();
        (await server.ToolsAsync()).Select(t => t.Name).Should().Contain("ec2_instance_list", "other plugins are untouched");
        var refused = await server.CallAsync("lambda_function_list");
        refused.IsError.Should().BeTrue();
        refused.Text().Should().Contain("'lambda'").And.Contain("no enabled instance").And.Contain("plugin_enable");
        LambdaEnabledInStateFile(server).Should().BeFalse("the change is persisted to the state file the server was given");
        Directory.Exists(Path.Combine(server.Home, ".config", "mcp-cloud-tools")).Should().BeFalse("the default state file is never touched");

        using (var enabled = await server.Http.PostAsync("/api/plugins/lambda/enable", null))
        {
            enabled.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await server.Changes.NextAsync(ServerProcess.Patience);
        (await LambdaToolsAsync(server)).Should().Contain("lambda_function_list");
        (await server.TextAsync("lambda_function_list")).Should().Contain("thumbnail-worker");
        LambdaEnabledInStateFile(server).Should().BeTrue();
    }

    [Fact]
    public async Task RestBesideStdio_ListsTheSandboxsClusters_AndTheOneItActivatesIsWhereClusterToolsGo()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--sandbox"], rest: true);

        var clusters = await server.Http.GetFromJsonAsync<JsonElement>("/api/clusters");
        clusters.GetProperty("discoveryFailures").EnumerateArray().Should().BeEmpty();
        clusters.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Contain(["eks:prod", "eks:staging", "batch:spot-ce"],
            "a fresh server discovers its clusters when asked for them, over REST as over MCP");
        using (var activated = await server.Http.PostAsync("/api/clusters/eks:staging/activate", null))
        {
            activated.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await server.TextAsync("eks_pod_list")).Should().StartWith("pods of eks:staging");
    }

    [Fact]
    public async Task HttpTransport_WithTheSandbox_ServesStreamableHttp_AndReportsEveryPluginHealthy()
    {
        await using var server = await ServerProcess.StartHttpAsync("--sandbox");
        server.Client.SessionId.Should().NotBeNullOrEmpty();

        (await server.TextAsync("eks_cluster_list")).Should().Contain("eks:prod");
        (await server.TextAsync("eks_pod_list", new { cluster_id = "eks:prod" })).Should().StartWith("pods of eks:prod");

        var status = await server.Http.GetFromJsonAsync<JsonElement>("/api/status");
        var health = status.GetProperty("instances").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("health").GetProperty("status").GetString());
        health.Should().BeEquivalentTo(Plugins.ToDictionary(p => p, _ => (string?)"healthy"));
        var batch = status.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "batch");
        // The process's sandbox runs its clock faster than real time: jobs move on, so counts are checked loosely.
        batch.GetProperty("status").GetString().Should().MatchRegex(@"; jobs in 5 queues: failed \d+, .*; in trouble: default-queue \(failed \d+\), .*gpu-queue \(failed \d+, stuck \d+\)",
            "Batch's summary covers every queue, not one");
        batch.GetProperty("counts").GetProperty("queues").GetInt64().Should().Be(5);
        batch.GetProperty("counts").GetProperty("jobs_failed").GetInt64().Should().BeGreaterThanOrEqualTo(16);
    }

    private static async Task<IReadOnlyList<string>> LambdaToolsAsync(ServerProcess server) =>
        [.. (await server.ToolsAsync()).Select(t => t.Name).Where(n => n.StartsWith("lambda_", StringComparison.Ordinal))];

    private static async Task<string> RunningInstanceAsync(ServerProcess server, string name)
    {
        var listing = await server.TextAsync("ec2_instance_list", new { name });
        var row = listing.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(c => c.Length > 2 && c[1] == name);
        row[2].Should().Be("run", $"{name} runs in the default scenario");
        return row[0];
    }

    private static bool LambdaEnabledInStateFile(ServerProcess server)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(server.StatePath));
        return state.RootElement.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "lambda")
            .GetProperty("enabled").GetBoolean();
    }
}

/// <summary>One read-only <c>mcp-cloud-tools --sandbox</c> over stdio, shared by the tests that only read.</summary>
public sealed class ReadOnlySandboxProcess : IAsyncLifetime
{
    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartStdioAsync(["--sandbox"]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
