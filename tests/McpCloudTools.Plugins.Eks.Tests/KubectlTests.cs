using System.Diagnostics;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>The sandbox's Kubernetes API is faithful enough for kubectl, authenticating with `aws eks get-token`.</summary>
public sealed class KubectlTests
{
    [Fact]
    public async Task Kubectl_GetsPods_ReadsLogs_AndScales_AgainstTheSandbox()
    {
        await using var h = await EksHarness.StartAsync();
        await using var kubeconfig = await Kubeconfig.WriteAsync(h, "staging");

        var pods = await KubectlAsync(kubeconfig, "get", "pods", "-A");
        pods.Should().MatchRegex(@"NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE");
        pods.Should().MatchRegex(@"payments\s+ledger-\w+-\w+\s+0/1\s+CrashLoopBackOff");
        pods.Should().MatchRegex(@"default\s+cache-warmer-\w+-\w+\s+0/1\s+ContainerStatusUnknown|Evicted");

        var api = h.Eks().Clusters["staging"].Kube.Pods().First(p => p.Metadata.Labels["app"] == "api").Metadata.Name;
        var logs = await KubectlAsync(kubeconfig, "logs", "-n", "web", api, "-c", "app", "--tail=2");
        logs.Trim().Should().EndWith("panic: config: missing required setting PAYMENTS_ENDPOINT");

        var scaled = await KubectlAsync(kubeconfig, "scale", "deployment/frontend", "-n", "web", "--replicas=4");
        scaled.Should().Contain("deployment.apps/frontend scaled");
        h.Eks().Clusters["staging"].Kube.FindDeployment("web", "frontend")!.Deployment!.Spec.Replicas.Should().Be(4);

    }

    private static async Task<string> KubectlAsync(Kubeconfig kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", kubeconfig.Path, "--cache-dir", Path.Combine(Path.GetDirectoryName(kubeconfig.Path)!, "cache"), "--request-timeout=20s" }.Concat(args))
            start.ArgumentList.Add(a);
        foreach (var (k, v) in kubeconfig.Environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        process.ExitCode.Should().Be(0, $"kubectl {string.Join(' ', args)} said: {output}");
        return output;
    }
}
