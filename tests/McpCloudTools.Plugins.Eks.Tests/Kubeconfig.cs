using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>A kubeconfig pointing at a sandbox cluster whose user runs <c>aws eks get-token</c> against the sandbox's STS.</summary>
public sealed class Kubeconfig : IAsyncDisposable
{
    private readonly string _dir;

    private Kubeconfig(string dir, string path, string original, IReadOnlyDictionary<string, string> environment)
    {
        _dir = dir;
        Path = path;
        Original = original;
        Environment = environment;
    }

    public string Path { get; }

    public string Original { get; }

    /// <summary>What kubectl needs in its environment (the exec plugin also gets it from the file).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The eks instance config that registers this file's contexts.</summary>
    public IReadOnlyDictionary<string, string> InstanceConfig => new Dictionary<string, string> { ["kubeconfig"] = Path, ["kubeconfig_contexts"] = "*" };

    public static async Task<Kubeconfig> WriteAsync(SandboxHarness h, string cluster)
    {
        var server = await h.Eks().KubeApiAsync(cluster, CancellationToken.None);
        var dir = Directory.CreateTempSubdirectory("eks-kubeconfig-").FullName;
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = h.Sandbox.Options.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = h.Sandbox.Options.SecretKey,
            ["AWS_REGION"] = "us-east-1", ["AWS_DEFAULT_REGION"] = "us-east-1", ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ENDPOINT_URL_STS"] = h.Sandbox.Endpoint.ToString().TrimEnd('/'),
            ["AWS_CONFIG_FILE"] = System.IO.Path.Combine(dir, "aws-config"), ["AWS_SHARED_CREDENTIALS_FILE"] = System.IO.Path.Combine(dir, "aws-credentials"),
        };
        var envYaml = string.Join("", env.Select(kv => $"      - name: {kv.Key}\n        value: \"{kv.Value}\"\n"));
        var text = $"""
            apiVersion: v1
            kind: Config
            current-context: sandbox-{cluster}
            clusters:
            - name: {cluster}
              cluster:
                server: {server.Endpoint.ToString().TrimEnd('/')}
                certificate-authority-data: {server.Certificates.CaData}
            contexts:
            - name: sandbox-{cluster}
              context:
                cluster: {cluster}
                user: eks-{cluster}
            users:
            - name: eks-{cluster}
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "{cluster}", "--output", "json"]
                  interactiveMode: Never
                  env:

            """ + envYaml;
        var path = System.IO.Path.Combine(dir, "config");
        await File.WriteAllTextAsync(path, text);
        return new Kubeconfig(dir, path, text, env);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
