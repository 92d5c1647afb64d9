namespace McpCloudTools.Deploy.Tests;

/// <summary>The <c>kubectl apply -k</c> variant: a base rendered from the chart, and an example overlay.</summary>
public sealed class KustomizeTests
{
    [Fact]
    public async Task Base_IsTheChartRenderedByTheScript_SoTheyNeverDrift()
    {
        var rendered = Path.Combine(Directory.CreateTempSubdirectory("mct-kustomize-").FullName, "resources.yaml");
        try
        {
            var (code, stdout, stderr) = await DeployTools.RunAsync("bash", [Path.Combine(DeployTools.Root, "deploy", "kustomize", "render-base.sh"), rendered],
                new Dictionary<string, string> { ["MCPCLOUDTOOLS_HELM"] = DeployTools.Helm });
            code.Should().Be(0, stderr + stdout);

            var committed = await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "deploy", "kustomize", "base", "resources.yaml"));
            (await File.ReadAllTextAsync(rendered)).Should().Be(committed,
                "deploy/kustomize/base/resources.yaml is generated from the chart: run deploy/kustomize/render-base.sh after changing the chart");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(rendered)!, recursive: true);
        }
    }

    [Fact]
    public async Task Base_RendersTheChartDefaultsWithoutHelmLabels()
    {
        var m = await Chart.KustomizeAsync("deploy/kustomize/base");

        m.Kinds.Should().BeEquivalentTo(["ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy"]);
        ((long?)m.Single("Deployment")["spec"]!["replicas"]).Should().Be(2);
        ServerPodAssertions.RunsHardened(m);
        ServerPodAssertions.ProbesTheServer(m);
        ServerPodAssertions.TakesSecretsFromSecrets(m, "mcp-cloud-tools-auth", "api-token", "mcp-cloud-tools-state", "connection");
        ServerPodAssertions.MountsAppsettings(m)!.ToJsonString().Should().Be("{}");
        ServerPodAssertions.SpreadsReplicas(m);
        ServerPodAssertions.IsolatesTraffic(m);
        m.Yaml.Should().NotContain("helm.sh/chart").And.NotContain("managed-by: Helm").And.NotContain("checksum/config");
    }

    [Fact]
    public async Task ExampleOverlay_ChangesImageReplicasConfigAndRoleButKeepsTheGuarantees()
    {
        var m = await Chart.KustomizeAsync("deploy/kustomize/overlays/example");

        m.Documents.Where(d => (string?)d["kind"] != "Namespace").Should().AllSatisfy(d => ((string?)d["metadata"]!["namespace"]).Should().Be("mcp"));
        ((long?)m.Single("Deployment")["spec"]!["replicas"]).Should().Be(3);
        ((string?)m.Server["image"]).Should().Be("123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp-cloud-tools:0.1.0");
        m.Args.Should().Contain("--allow-write");
        ((string?)m.Env("AWS_REGION")!["value"]).Should().Be("eu-west-1");
        ((string?)m.Single("ServiceAccount")["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]).Should().EndWith(":role/mcp-cloud-tools");

        // The overlay's appsettings.json replaces the base's, under a content-hashed name the Deployment follows.
        var appsettings = ServerPodAssertions.MountsAppsettings(m)!;
        ((string?)appsettings["McpCloudTools"]!["AllowedOrigins"]![0]).Should().Be("https://agents.example.com");
        ((string?)m.Single("ConfigMap")["metadata"]!["name"]).Should().MatchRegex("^mcp-cloud-tools-config-[a-z0-9]{10}$");

        ServerPodAssertions.RunsHardened(m);
        ServerPodAssertions.ProbesTheServer(m);
        ServerPodAssertions.TakesSecretsFromSecrets(m, "mcp-cloud-tools-auth", "api-token", "mcp-cloud-tools-state", "connection");
        ServerPodAssertions.SpreadsReplicas(m);
        ServerPodAssertions.IsolatesTraffic(m);
    }
}
