using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Eks.Client;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>
/// Issue 12, injection: names reach the Kubernetes API and EKS only validated and escaped. KubernetesClient.Aot
/// 21.0.8 splices path parameters in unescaped, so each check here would read another object without ours.
/// </summary>
public sealed class HostileNameTests
{
    private const string Secret = "sk_live";

    private static string ApiPod(SandboxHarness h) =>
        h.Eks().Clusters["staging"].Kube.Pods().First(p => p.Metadata.NamespaceProperty == "web" && p.Metadata.Labels["app"] == "api").Metadata.Name;

    private static async Task<long> WarmAsync(SandboxHarness h)
    {
        await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:staging" });
        return h.Sandbox.Requests.Last;
    }

    [Theory]
    [InlineData("#")]
    [InlineData("#/log")]
    [InlineData("?pretty=true")]
    public async Task PodLogs_WithAHashOrQuestionMarkInThePodName_IsRefusedAndNeverReturnsThePodObject(string suffix)
    {
        await using var h = await EksHarness.StartAsync();
        var before = await WarmAsync(h);
        var pod = ApiPod(h) + suffix;

        var result = await h.CallAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = "web", pod });

        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith($"Invalid pod '{pod}': it contains '{suffix[0]}' at position {ApiPod(h).Length + 1}. A pod name is lower-case letters, "
            + "digits, '-' and '.'").And.Contain("eks_pod_list shows the pods");
        result.Text().Should().NotContain("\"apiVersion\"").And.NotContain(Secret);
        h.Sandbox.Requests.Since(before).Should().BeEmpty("nothing is sent for a name that breaks Kubernetes' rules");
    }

    [Fact]
    public async Task Namespace_ThatClimbsOutWithDotDot_IsRefusedAndNoOtherNamespaceIsRead()
    {
        await using var h = await EksHarness.StartAsync();
        var before = await WarmAsync(h);

        var list = await h.ErrorAsync("eks_pod_list", new { cluster_id = "eks:staging", @namespace = "kube-system/../default" });
        var describe = await h.ErrorAsync("eks_pod_describe", new { cluster_id = "eks:staging", @namespace = "kube-system/../web", pod = ApiPod(h) });

        list.Should().Be("Invalid namespace 'kube-system/../default': it contains '/' at position 12. A namespace is lower-case letters, digits and '-', "
            + "starting and ending with a letter or digit, at most 63 characters. eks_namespace_list shows them.");
        describe.Should().StartWith("Invalid namespace 'kube-system/../web'");
        h.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Theory]
    [InlineData("eks_pod_describe", "")]
    [InlineData("eks_pod_describe", "   ")]
    [InlineData("eks_pod_logs", ".")]
    [InlineData("eks_pod_logs", "..")]
    [InlineData("eks_pod_delete", "..")]
    [InlineData("eks_pod_delete", "")]
    public async Task EmptyBlankAndDotPodNames_AreActionableErrorsNamingPod(string tool, string pod)
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);

        var error = await h.ErrorAsync(tool, new { cluster_id = "eks:staging", @namespace = "web", pod });

        error.Should().StartWith(string.IsNullOrWhiteSpace(pod) ? "pod is required and was empty." : $"Invalid pod '{pod}': '{pod}' is not a name")
            .And.Contain("A pod name is").And.NotContain("NullReferenceException").And.NotContain("unexpectedly");
    }

    [Fact]
    public async Task EveryNameOfEveryEksTool_RefusesHostileValuesBeforeAnyRequest()
    {
        await using var h = await EksHarness.StartAsync(allowWrite: true);
        var before = await WarmAsync(h);
        (string Tool, string Argument, object Others)[] cases =
        [
            ("eks_pod_list", "namespace", new { }), ("eks_pod_list", "label_selector", new { }),
            ("eks_pod_describe", "pod", new { }), ("eks_pod_describe", "namespace", new { pod = "p" }),
            ("eks_pod_logs", "pod", new { }), ("eks_pod_logs", "namespace", new { pod = "p" }), ("eks_pod_logs", "container", new { pod = "p" }),
            ("eks_pod_delete", "pod", new { }), ("eks_pod_delete", "namespace", new { pod = "p" }),
            ("eks_event_list", "namespace", new { }),
            ("eks_deployment_list", "namespace", new { }), ("eks_deployment_list", "label_selector", new { }),
            ("eks_deployment_scale", "deployment", new { replicas = 1 }), ("eks_deployment_scale", "namespace", new { deployment = "d", replicas = 1 }),
            ("eks_deployment_restart", "deployment", new { }), ("eks_deployment_restart", "namespace", new { deployment = "d" }),
            ("eks_node_list", "label_selector", new { }),
            ("eks_nodegroup_describe", "nodegroup", new { }), ("eks_nodegroup_scale", "nodegroup", new { desired = 1 }),
        ];
        var failures = new List<string>();
        foreach (var (tool, argument, others) in cases)
        {
            // A label selector is free text with its own syntax ('/', ' ', '!' belong to it): only what it cannot hold is refused.
            foreach (var value in HostileNames.Values.Where(v => argument != "label_selector" || KubeNames.LabelSelector.Problem(v) is not null))
            {
                var args = ToolArgs.From(others).ToDictionary(kv => kv.Key, kv => kv.Value);
                args["cluster_id"] = "eks:staging";
                args[argument] = value;
                var result = await h.CallAsync(tool, args);
                if (result.IsError != true || !result.Text().StartsWith($"Invalid {argument} ", StringComparison.Ordinal) || result.Text().Length > 600)
                    failures.Add($"{tool} {argument}={value}: {result.Text()}");
            }
        }

        failures.Should().BeEmpty();
        h.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task KubeApi_EveryOperationRefusesHostileNamesBeforeSending()
    {
        await using var h = await EksHarness.StartAsync();
        await WarmAsync(h);
        var services = h.Mcp.Services;
        var target = await services.GetRequiredService<PluginRouter<EksPlugin>>().ClusterAsync("eks:staging", CancellationToken.None);
        var api = (await services.GetRequiredService<KubeConnections>().GetAsync(target, CancellationToken.None)).Api;
        var patch = new k8s.Models.V1Patch("{}", k8s.Models.V1Patch.PatchType.MergePatch);
        var ct = CancellationToken.None;
        Func<string, Task>[] operations =
        [
            v => api.ListPodsAsync(v, null, null, 5, ct), v => api.ListPodsAsync(null, v + "\0", null, 5, ct),
            v => api.ListPodTableAsync(v, null, null, 5, ct), v => api.ListPodTableAsync(null, v + "\0", null, 5, ct),
            v => api.ReadPodAsync("web", v, ct), v => api.ReadPodAsync(v, "p", ct),
            v => api.ReadPodLogAsync("web", v, "app", 5, null, false, 1000, ct), v => api.ReadPodLogAsync(v, "p", "app", 5, null, false, 1000, ct),
            v => api.ReadPodLogAsync("web", "p", v, 5, null, false, 1000, ct),
            v => api.DeletePodAsync("web", v, ct), v => api.DeletePodAsync(v, "p", ct),
            v => api.ListEventsAsync(v, null, null, null, 5, ct), v => api.ListEventsAsync("web", "Pod", v, null, 5, ct),
            v => api.ListDeploymentsAsync(v, null, null, 5, ct),
            v => api.ReadDeploymentScaleAsync("web", v, ct), v => api.PatchDeploymentScaleAsync(patch, "web", v, ct), v => api.PatchDeploymentAsync(patch, v, "d", ct),
            v => api.ListNodesAsync(v + "#", null, 5, ct),
        ];
        var before = h.Sandbox.Requests.Last;
        foreach (var operation in operations)
        {
            foreach (var value in HostileNames.Values.Concat(HostileNames.Suffixes.Select(s => ApiPod(h) + s)))
            {
                var call = () => operation(value);
                await call.Should().ThrowAsync<ToolException>().WithMessage("*Invalid*");
            }
        }

        h.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task KubernetesClientSplicesPathParametersUnescaped_AndThePathGuardStopsIt()
    {
        await using var h = await EksHarness.StartAsync();
        await WarmAsync(h);
        var server = await h.Eks().KubeApiAsync("staging", CancellationToken.None);
        var eks = h.Mcp.Services.GetRequiredService<EksClients>();
        using var tokens = new EksTokenProvider(eks.Context(h.Mcp.Context("eks")), "staging", TimeProvider.System, new EksOptions());
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(server.Certificates.CaPem);
        KubernetesClientConfiguration Config() => new() { Host = server.Endpoint.ToString(), SslCaCerts = ca, TokenProvider = tokens };
        using var bare = new Kubernetes(Config());
        using var guarded = new Kubernetes(Config(), new KubePathGuard(server.Endpoint));
        var pod = ApiPod(h) + "#";

        // What KubernetesClient.Aot 21.0.8 does on its own: "…/pods/api-…#/log" loses "/log" and reads the pod object.
        await using (var leak = await bare.CoreV1.ReadNamespacedPodLogAsync(pod, "web"))
        {
            var text = await new StreamReader(leak, Encoding.UTF8).ReadToEndAsync();
            text.Should().StartWith("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"").And.Contain(Secret);
        }

        var before = h.Sandbox.Requests.Last;
        var guardedCall = () => guarded.CoreV1.ReadNamespacedPodLogAsync(pod, "web");
        var spaced = () => guarded.CoreV1.ReadNamespacedPodAsync("api pod", "web");
        var query = () => guarded.CoreV1.ReadNamespacedPodLogAsync(ApiPod(h) + "?x=1", "web", container: "app");

        (await guardedCall.Should().ThrowAsync<ToolException>()).Which.Message.Should().Contain("it had a '#' fragment").And.Contain("nothing was sent");
        (await spaced.Should().ThrowAsync<ToolException>()).Which.Message.Should().Contain("its path segment 'api pod' is not a plain Kubernetes name");
        (await query.Should().ThrowAsync<ToolException>()).Which.Message.Should().Contain("which is not an escaped name=value pair");
        h.Sandbox.Requests.Since(before).Should().BeEmpty();
        (await guarded.CoreV1.ReadNamespacedPodAsync(ApiPod(h), "web")).Metadata.Name.Should().Be(ApiPod(h));
        h.Sandbox.Requests.Since(before).Should().ContainSingle().Which.IsAmbiguous.Should().BeFalse();
    }

    [Fact]
    public async Task EksClient_EveryOperationRefusesHostileNamesBeforeSending()
    {
        await using var h = await EksHarness.StartAsync();
        await WarmAsync(h);
        var client = h.Mcp.Services.GetRequiredService<EksClients>().For(h.Mcp.Context("eks"));
        Func<string, Task>[] operations =
        [
            v => client.DescribeClusterAsync(new DescribeClusterRequest { Name = v }),
            v => client.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = v }),
            v => client.DescribeNodegroupAsync(new DescribeNodegroupRequest { ClusterName = "staging", NodegroupName = v }),
            v => client.DescribeNodegroupAsync(new DescribeNodegroupRequest { ClusterName = v, NodegroupName = "ng" }),
            v => client.UpdateNodegroupConfigAsync(new UpdateNodegroupConfigRequest { ClusterName = "staging", NodegroupName = v }),
            v => client.DescribeUpdateAsync(new DescribeUpdateRequest { Name = "staging", UpdateId = v }),
            v => client.DescribeUpdateAsync(new DescribeUpdateRequest { Name = "staging", UpdateId = "0b5f4c58-2f7e-4a4e-9f6b-8d2a9c1e7a31", NodegroupName = v }),
            v => client.ListAddonsAsync(new ListAddonsRequest { ClusterName = v }),
            v => client.DescribeAddonAsync(new DescribeAddonRequest { ClusterName = "staging", AddonName = v }),
        ];
        var before = h.Sandbox.Requests.Last;
        foreach (var operation in operations)
        {
            foreach (var value in HostileNames.Values.Concat(HostileNames.Suffixes.Select(s => "staging" + s)).Append(""))
            {
                var call = () => operation(value);
                await call.Should().ThrowAsync<ToolException>();
            }
        }

        h.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task AHandRegisteredEksClusterName_FollowsEksRules_AKubeconfigContextNameDoesNot()
    {
        await using var h = await EksHarness.StartAsync();
        var none = new Dictionary<string, string>();

        var register = () => h.Mcp.Clusters.RegisterAsync(new Core.Registry.ClusterInfo("", "../staging", "", "eks", null, none));
        var context = await h.Mcp.Clusters.RegisterAsync(new Core.Registry.ClusterInfo("kube:lab", "arn:aws:eks:us-east-1:123456789012:cluster/lab", "", "eks", null,
            new Dictionary<string, string> { [Services.EksClusters.KindKey] = "kubeconfig", [Services.EksClusters.KubeconfigKey] = "/dev/null" }));

        await register.Should().ThrowAsync<Core.Registry.RegistryException>().WithMessage("Invalid name '../staging': it contains '.' at position 1. "
            + "An EKS cluster name is letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters.*");
        context.Id.Should().Be("kube:lab", "a kubeconfig context is named by the operator's file and never reaches an EKS URL");
    }
}
