using McpCloudTools.Core.Registry;
using McpCloudTools.Plugins.Eks.Kube;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

public sealed class AuthAndClusterTests
{
    [Fact]
    public async Task Discovery_RegistersEveryEksClusterWithRegionAndAccount()
    {
        await using var h = await EksHarness.StartAsync();
        await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:dev" });
        var clusters = h.Mcp.Clusters.All.Where(c => c.PluginType == "eks").ToList();
        clusters.Select(c => c.Id).Should().BeEquivalentTo(["eks:dev", "eks:prod", "eks:staging"]);
        clusters.Should().OnlyContain(c => c.Region == "us-east-1" && c.Get("account") == "123456789012" && c.Source == ClusterSource.Discovered);
        clusters.Single(c => c.Id == "eks:prod").Get("arn").Should().Be("arn:aws:eks:us-east-1:123456789012:cluster/prod");
    }

    [Fact]
    public async Task InClusterTools_UseTheActiveCluster_UnlessCallOverrides()
    {
        await using var h = await EksHarness.StartAsync();
        (await h.ErrorAsync("eks_node_list")).Should().Contain("Pass cluster_id (one of: eks:dev, eks:prod, eks:staging)");
        await h.TextAsync("cluster_activate", new { cluster_id = "eks:staging" });
        (await h.TextAsync("eks_node_list")).Should().StartWith("nodes of eks:staging: 3");
        (await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" })).Should().StartWith("nodes of eks:dev: 2");
        (await h.TextAsync("eks_pod_list", new { @namespace = "web" })).Should().StartWith("pods of eks:staging (namespace web)");
    }

    [Fact]
    public async Task Token_IsReused_ThenRefreshedBeforeItsFifteenMinutesRunOut()
    {
        // A short-lived token stands in for fourteen minutes passing.
        await using var h = await EksHarness.StartAsync(options: new EksOptions { TokenReuse = TimeSpan.FromSeconds(3) });
        var kube = h.Eks().Clusters["dev"].Kube;
        await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });
        await h.TextAsync("eks_namespace_list", new { cluster_id = "eks:dev" });
        kube.AcceptedTokens.Should().HaveCount(1, "one token serves every request while it is fresh");

        await Task.Delay(3200);
        await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });
        kube.AcceptedTokens.Should().HaveCount(2, "a token past its reuse time is replaced before the API server would refuse it");
        kube.AcceptedTokens.Keys.Should().OnlyContain(t => t.StartsWith("Bearer k8s-aws-v1.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_IsRetriedOnceWithAFreshToken()
    {
        await using var h = await EksHarness.StartAsync();
        var kube = h.Eks().Clusters["dev"].Kube;
        await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });
        await Task.Delay(1100);
        kube.RejectNextRequests(1);
        (await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" })).Should().StartWith("nodes of eks:dev");
        kube.Rejected.Should().Be(1);
        kube.AcceptedTokens.Should().HaveCount(2, "the refused token was dropped and a new one made");

        kube.RejectNextRequests(2);
        var error = await h.ErrorAsync("eks_node_list", new { cluster_id = "eks:dev" });
        error.Should().Contain("refused the credentials (401) even with a fresh EKS token").And.Contain("access entry");
        kube.Rejected.Should().Be(3, "exactly one retry, not a loop");
    }

    [Fact]
    public async Task TokenForAnotherCluster_IsRejected()
    {
        await using var h = await EksHarness.StartAsync();
        await h.TextAsync("eks_node_list", new { cluster_id = "eks:dev" });
        var devToken = h.Eks().Clusters["dev"].Kube.AcceptedTokens.Keys.Single();
        var staging = await h.Eks().KubeApiAsync("staging", CancellationToken.None);
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(staging.Endpoint, "/api/v1/namespaces"));
        request.Headers.TryAddWithoutValidation("Authorization", devToken);
        using var response = await http.SendAsync(request);
        ((int)response.StatusCode).Should().Be(401, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"kind\":\"Status\"").And.Contain("\"reason\":\"Unauthorized\"");
    }

    [Fact]
    public async Task WrongCa_IsRejectedBeforeAnythingIsSent()
    {
        await using var h = await EksHarness.StartAsync();
        var other = await h.Eks().KubeApiAsync("dev", CancellationToken.None);
        h.Eks().Clusters["staging"].CertificateOverride = other.Certificates.CaData;
        var error = await h.ErrorAsync("eks_pod_list", new { cluster_id = "eks:staging" });
        error.Should().Contain("TLS to the Kubernetes API of eks:staging").And.Contain("not signed by the cluster's CA");
        h.Eks().Clusters["staging"].Kube.AcceptedTokens.Should().BeEmpty();
    }

    [Fact]
    public async Task EksApiTools_OnAKubeconfigContext_SayTheyNeedAnEksCluster()
    {
        await using var h = await EksHarness.StartAsync();
        await using var kubeconfig = await Kubeconfig.WriteAsync(h, "staging");
        await h.Mcp.Instances.UpdateAsync("eks", null, kubeconfig.InstanceConfig);
        var error = await h.ErrorAsync("eks_nodegroup_list", new { cluster_id = "kube:sandbox-staging" });
        error.Should().Contain("needs the EKS API").And.Contain("kubeconfig context");
    }

    [Fact]
    public async Task KubeconfigContext_WorksThroughTheSameTools_WithItsExecPlugin()
    {
        await using var h = await EksHarness.StartAsync();
        await using var kubeconfig = await Kubeconfig.WriteAsync(h, "staging");
        await h.Mcp.Instances.UpdateAsync("eks", null, kubeconfig.InstanceConfig);
        var text = await h.TextAsync("eks_pod_list", new { cluster_id = "kube:sandbox-staging" });
        text.Should().StartWith("pods of kube:sandbox-staging (all namespaces): 24; unhealthy 14");
        text.Should().Contain("CrashLoopBackOff(OOMKilled)");
        h.Mcp.Clusters.All.Select(c => c.Id).Should().Contain(["kube:sandbox-staging", "eks:staging"]);
        h.Eks().Clusters["staging"].Kube.AcceptedTokens.Should().NotBeEmpty("the token came from `aws eks get-token` run by the exec plugin");
        File.ReadAllText(kubeconfig.Path).Should().Be(kubeconfig.Original, "the user's kubeconfig is never modified");
    }

    [Fact]
    public async Task KubeconfigSettings_AreCheckedWhenStored_AnUnknownContextOrAMissingFileIsRefusedWithWhatExists()
    {
        await using var h = await EksHarness.StartAsync();
        await using var kubeconfig = await Kubeconfig.WriteAsync(h, "staging");
        var version = h.Mcp.Instances.Get("eks").ConfigVersion;

        var unknownContext = () => h.Mcp.Instances.UpdateAsync("eks", null,
            new Dictionary<string, string> { ["kubeconfig"] = kubeconfig.Path, ["kubeconfig_contexts"] = "sandbox-staging, prod-typo" });
        (await unknownContext.Should().ThrowAsync<Core.Registry.RegistryException>()).Which.Message.Should().Be(
            $"Invalid config for eks: kubeconfig_contexts 'sandbox-staging, prod-typo' names contexts that kubeconfig {kubeconfig.Path} does not have (prod-typo): " +
            "use some of sandbox-staging, comma-separated, or *.");

        var missingFile = () => h.Mcp.Instances.CreateAsync("eks", "eks-2",
            config: new Dictionary<string, string> { ["kubeconfig"] = "/nonexistent/kube/config", ["kubeconfig_contexts"] = "*", ["region"] = "eu-west-9z" });
        var refusal = (await missingFile.Should().ThrowAsync<Core.Registry.RegistryException>()).Which.Message;
        refusal.Should().Contain("kubeconfig '/nonexistent/kube/config' points at no file").And.Contain("region 'eu-west-9z' is not an AWS region name",
            "every problem is refused at once");

        h.Mcp.Instances.Get("eks").ConfigVersion.Should().Be(version, "nothing was stored");
        h.Mcp.Instances.All.Select(i => i.Id).Should().NotContain("eks-2");
    }
}
