using McpCloudTools.Sandbox.Services.Eks;
using McpCloudTools.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Resource templates and completions, through the official client against the sandbox: each plugin's templates
/// advertised while its type has an enabled instance, a templated URI read through the tool it names (hostile values
/// refused naming the template's parameter, before anything is sent), and completion values from live data.
/// </summary>
public sealed class ResourceTemplateTests : IAsyncLifetime
{
    private SandboxHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await SandboxHarness.StartAsync(PluginSet.AddAll);
        await _h.Sandbox.Service<EksService>().KubeApiAsync("staging", CancellationToken.None);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private McpCloudTools.Testing.McpHarness Mcp => _h.Mcp;

    [Fact]
    public async Task TemplatesList_HasInstancesFunctionsPodsJobsAndClusters_WhileTheirTypeIsEnabled()
    {
        var templates = (await Mcp.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();

        Mcp.Client.ServerCapabilities.Completions.Should().NotBeNull("IDE clients ask for completions only when the server declares them");
        templates.Should().Contain([
            "ec2://{instance}/instances/{instance_id}", "lambda://{instance}/functions/{function}", "eks://{instance}/clusters/{cluster_id}",
            "eks://{instance}/clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}", "batch://{instance}/jobs/{job_id}",
        ]);
        await Mcp.Instances.SetEnabledAsync("lambda", false);
        (await Mcp.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).Should().NotContain(t => t.StartsWith("lambda://", StringComparison.Ordinal))
            .And.Contain("ec2://{instance}/instances/{instance_id}");
    }

    [Fact]
    public async Task DisablingLambda_SendsResourcesListChanged_AndDropsItsTemplate_EnablingBringsItBack()
    {
        Mcp.Client.ServerCapabilities.Resources!.ListChanged.Should().BeTrue("clients re-list templates only when the server says it will tell them");

        await Mcp.CallAsync("plugin_disable", new { id = "lambda" });
        var gone = await Mcp.ResourcesChanged.NextAsync();
        var without = (await Mcp.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        (await Mcp.ResourcesChanged.ArrivesWithinAsync(TimeSpan.FromMilliseconds(500))).Should().BeFalse("one change, one notification");
        await Mcp.CallAsync("plugin_enable", new { id = "lambda" });
        await Mcp.ResourcesChanged.NextAsync();
        var with = (await Mcp.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        await Mcp.CallAsync("clusters_list");

        gone.Method.Should().Be("notifications/resources/list_changed");
        without.Should().NotContain(t => t.StartsWith("lambda://", StringComparison.Ordinal)).And.Contain("ec2://{instance}/instances/{instance_id}");
        with.Should().Contain("lambda://{instance}/functions/{function}").And.OnlyHaveUniqueItems();
        (await Mcp.ResourcesChanged.ArrivesWithinAsync(TimeSpan.FromMilliseconds(500))).Should().BeFalse("a change that leaves the templates as they are sends nothing");
        (await ReadAsync("lambda://lambda/functions/orders-api")).Should().Contain("orders-api", "reads still go through the resource handler");
    }

    [Fact]
    public async Task ReadingATemplatedPodUri_DescribesThePod()
    {
        var pod = CrashingPod();

        var read = await Mcp.Client.ReadResourceAsync($"eks://eks/clusters/eks:staging/namespaces/web/pods/{pod}");

        var text = read.Contents.OfType<TextResourceContents>().Single().Text;
        text.Should().Contain(pod).And.Contain("CrashLoopBackOff");
    }

    [Fact]
    public async Task ReadingTemplatedClusterFunctionAndJobUris_AnswersAsTheirTools()
    {
        var jobs = await CompleteAsync(new ResourceTemplateReference { Uri = "batch://{instance}/jobs/{job_id}" }, "job_id", "");
        jobs.Values.Should().NotBeEmpty();

        var cluster = await ReadAsync("eks://eks/clusters/eks:staging");
        var function = await ReadAsync("lambda://lambda/functions/orders-api");
        var job = await ReadAsync($"batch://batch/jobs/{jobs.Values[0]}");

        cluster.Should().Contain("staging");
        function.Should().Contain("orders-api");
        job.Should().Contain(jobs.Values[0]);
    }

    [Fact]
    public async Task ReadingATemplatedUriOfSomethingMissing_GivesTheToolsOwnMessage()
    {
        var act = () => Mcp.Client.ReadResourceAsync("eks://eks/clusters/eks:staging/namespaces/web/pods/no-such-pod").AsTask();

        (await act.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain("Cannot read 'eks://eks/clusters/eks:staging/namespaces/web/pods/no-such-pod'")
            .And.Contain("no-such-pod").And.NotContain("An error occurred");
    }

    [Theory]
    [InlineData("ec2://ec2/instances/i-0123456789abcdef0#x", "instance_id", "'i-0123456789abcdef0#x'")]
    [InlineData("ec2://ec2/instances/i-0123456789abcdef0?x=1", "instance_id", "'i-0123456789abcdef0?x=1'")]
    [InlineData("ec2://ec2/instances/../i-0123456789abcdef0", "instance_id", "'../i-0123456789abcdef0'")]
    [InlineData("ec2://ec2/instances/i-01%2F..%2Fx", "instance_id", "'/'")]
    [InlineData("eks://eks/clusters/eks:staging/namespaces/../pods/x", "namespace", "'..'")]
    [InlineData("eks://eks/clusters/eks:staging/namespaces/web/pods/a%2F..%2Fb", "pod", "'/'")]
    [InlineData("eks://eks/clusters/eks:staging/namespaces/web/pods/x/../../y", "pod", "'/'")]
    [InlineData("lambda://lambda/functions/orders-api%23x", "function", "'#'")]
    public async Task AHostileValueInATemplatedUri_IsAnInvalidParamsErrorNamingTheParameter(string uri, string parameter, string shown)
        // shown: what the message quotes (the decoded value, or the character that breaks the rule).
    {
        var before = _h.Sandbox.Requests.Last;
        var act = () => Mcp.Client.ReadResourceAsync(uri).AsTask();

        var error = (await act.Should().ThrowAsync<McpProtocolException>()).Which;
        error.ErrorCode.Should().Be(McpErrorCode.InvalidParams);
        error.Message.Should().Contain($"Invalid {parameter} ").And.Contain(shown);
        _h.Sandbox.Requests.Since(before).Should().BeEmpty("the value is refused before anything is sent");
    }

    [Fact]
    public async Task Completion_OfPodsNamespacesAndClusters_ComesFromLiveData_PrefixFiltered()
    {
        var clusters = await CompleteAsync(new PromptReference { Name = "eks_cluster_health" }, "cluster_id", "eks:st");
        var namespaces = await CompleteAsync(new ResourceTemplateReference { Uri = "eks://{instance}/clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}" },
            "namespace", "pay", new() { ["cluster_id"] = "eks:staging" });
        var pods = await CompleteAsync(new ResourceTemplateReference { Uri = "eks://{instance}/clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}" },
            "pod", "gate", new() { ["cluster_id"] = "eks:staging", ["namespace"] = "payments" });
        var promptPods = await CompleteAsync(new PromptReference { Name = "eks_pod_troubleshoot" }, "pod", "web/api-", new() { ["cluster_id"] = "eks:staging" });

        clusters.Values.Should().Equal("eks:staging");
        namespaces.Values.Should().Equal("payments");
        pods.Values.Should().NotBeEmpty().And.OnlyContain(p => p.StartsWith("gateway-", StringComparison.Ordinal));
        promptPods.Values.Should().Contain("web/" + CrashingPod()).And.OnlyContain(p => p.StartsWith("web/api-", StringComparison.Ordinal));
        foreach (var c in new[] { clusters, namespaces, pods, promptPods })
        {
            c.Total.Should().Be(c.Values.Count);
            c.HasMore.Should().BeFalse();
        }
    }

    [Fact]
    public async Task Completion_OfFunctionsInstancesQueuesAndJobs()
    {
        var functions = await CompleteAsync(new PromptReference { Name = "lambda_function_errors" }, "function", "ORDERS");
        var instances = await CompleteAsync(new PromptReference { Name = "ec2_instance_troubleshoot" }, "instance_id", "i-");
        var templateInstances = await CompleteAsync(new ResourceTemplateReference { Uri = "ec2://{instance}/instances/{instance_id}" }, "instance_id", "");
        var plugins = await CompleteAsync(new ResourceTemplateReference { Uri = "ec2://{instance}/instances/{instance_id}" }, "instance", "");
        var queues = await CompleteAsync(new PromptReference { Name = "batch_job_troubleshoot" }, "queue", "gpu");

        functions.Values.Should().Contain("orders-api").And.OnlyContain(f => f.StartsWith("orders", StringComparison.Ordinal));
        instances.Values.Should().HaveCount(23, "every instance not terminated").And.OnlyContain(i => i.StartsWith("i-0", StringComparison.Ordinal));
        templateInstances.Values.Should().Equal(instances.Values);
        plugins.Values.Should().Equal("ec2");
        queues.Values.Should().Equal("gpu-queue");
    }

    [Fact]
    public async Task Completion_OfAnUnknownArgumentOrReference_IsEmpty_NotAnError()
    {
        var unknownArgument = await CompleteAsync(new PromptReference { Name = "eks_cluster_health" }, "colour", "");
        var unknownPrompt = await CompleteAsync(new PromptReference { Name = "nothing_here" }, "pod", "");
        var unknownScheme = await CompleteAsync(new ResourceTemplateReference { Uri = "gopher://{instance}/x" }, "pod", "");
        var hostileNamespace = await CompleteAsync(new ResourceTemplateReference { Uri = "eks://{instance}/clusters/{cluster_id}/namespaces/{namespace}/pods/{pod}" },
            "pod", "", new() { ["cluster_id"] = "eks:staging", ["namespace"] = "../kube-system" });

        foreach (var c in new[] { unknownArgument, unknownPrompt, unknownScheme, hostileNamespace })
        {
            c.Values.Should().BeEmpty();
            c.Total.Should().Be(0);
        }
    }

    private string CrashingPod() =>
        _h.Sandbox.Service<EksService>().Clusters["staging"].Kube.Pods()
            .First(p => p.Metadata.NamespaceProperty == "web" && p.Metadata.Name.StartsWith("api-", StringComparison.Ordinal)
                && p.Status.ContainerStatuses?.Any(s => s.State?.Waiting?.Reason == "CrashLoopBackOff") == true).Metadata.Name;

    private async Task<string> ReadAsync(string uri) =>
        (await Mcp.Client.ReadResourceAsync(uri)).Contents.OfType<TextResourceContents>().Single().Text;

    private async Task<Completion> CompleteAsync(Reference reference, string argument, string value, Dictionary<string, string>? chosen = null) =>
        (await Mcp.Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = reference,
            Argument = new Argument { Name = argument, Value = value },
            Context = chosen is null ? null : new CompleteContext { Arguments = chosen },
        })).Completion;
}
