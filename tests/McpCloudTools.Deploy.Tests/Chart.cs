using k8s;

namespace McpCloudTools.Deploy.Tests;

/// <summary>The chart as <c>helm template</c> renders it, and the Kustomize variant as <c>kubectl kustomize</c> does.</summary>
internal static class Chart
{
    /// <summary>The example values of a team deployment, shipped in deploy/helm/examples.</summary>
    public static string ExampleValues => Path.Combine(DeployTools.Root, "deploy", "helm", "examples", "eks-production.yaml");

    /// <summary>Renders the chart as release <c>mcp</c> in namespace <c>tools</c>, with extra helm arguments (-f, --set).</summary>
    public static async Task<Manifests> RenderAsync(params string[] helmArguments)
    {
        var yaml = await DeployTools.RunOkAsync(DeployTools.Helm, ["template", "mcp", DeployTools.Chart, "--namespace", "tools", .. helmArguments]);
        return Checked(yaml);
    }

    /// <summary>What helm says when it refuses to render: exit code and stderr.</summary>
    public static async Task<(int Code, string Error)> RenderFailureAsync(params string[] helmArguments)
    {
        var (code, _, stderr) = await DeployTools.RunAsync(DeployTools.Helm, ["template", "mcp", DeployTools.Chart, "--namespace", "tools", .. helmArguments]);
        return (code, stderr);
    }

    /// <summary>Renders a Kustomize directory (relative to the repository root) with kubectl's built-in Kustomize.</summary>
    public static async Task<Manifests> KustomizeAsync(string directory) =>
        Checked(await DeployTools.RunOkAsync(DeployTools.Kubectl, "kustomize", Path.Combine(DeployTools.Root, directory)));

    /// <summary>
    /// Parses the stream and checks every document as the API server would: apiVersion, kind and metadata.name set,
    /// and every field known to the official object model of that kind (KubernetesClient's strict loading refuses
    /// unknown fields, so a misspelt <c>securityContex</c> or a field at the wrong level fails here).
    /// </summary>
    private static Manifests Checked(string yaml)
    {
        var manifests = Manifests.Parse(yaml);
        manifests.Documents.Should().NotBeEmpty();
        foreach (var document in manifests.Documents)
        {
            var what = $"{document["kind"]} {document["metadata"]?["name"]}";
            ((string?)document["apiVersion"]).Should().NotBeNullOrEmpty(what);
            ((string?)document["kind"]).Should().NotBeNullOrEmpty(what);
            var name = (string?)document["metadata"]?["name"];
            name.Should().NotBeNullOrEmpty(what).And.MatchRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", what);
            name!.Length.Should().BeLessThanOrEqualTo(63, what);
        }

        var typed = KubernetesYaml.LoadAllFromString(yaml, strict: true);
        typed.Should().HaveCount(manifests.Documents.Count).And.NotContainNulls();
        return manifests;
    }
}
