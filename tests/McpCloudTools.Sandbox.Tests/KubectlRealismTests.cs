using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>The standalone sandbox on a fixed port, a kubeconfig from <c>aws eks update-kubeconfig</c>, and kubectl.</summary>
public sealed class KubectlSandbox : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>Sandbox seconds per real second; 0 freezes the clock so tests move it themselves.</summary>
    public double Speed { get; init; }

    public async Task InitializeAsync()
    {
        var port = Kubectl.FreePortRange();
        Host = await SandboxHost.StartAsync(new SandboxOptions { Port = port, ClockSpeed = Speed }, NullLoggerFactory.Instance, CancellationToken.None);
        Kubectl = new Kubectl(Host.Endpoint);
        var (code, output) = await Kubectl.AwsAsync("eks", "update-kubeconfig", "--name", "staging", "--region", "us-east-1", "--kubeconfig", Kubectl.KubeconfigPath);
        code.Should().Be(0, output);
    }

    public async Task DisposeAsync()
    {
        Kubectl.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A second frozen-clock sandbox, for the tests that change deployments.</summary>
public sealed class RolloutKubectlSandbox : IAsyncLifetime
{
    public KubectlSandbox Sandbox { get; } = new();

    public Task InitializeAsync() => Sandbox.InitializeAsync();

    public Task DisposeAsync() => Sandbox.DisposeAsync();
}

/// <summary>
/// What kubectl shows of the sandbox reads like a cluster: a replacement pod starts from zero restarts through
/// Pending/ContainerCreating and becomes ready a few sandbox seconds later; describe shows a pod's events; services
/// and their endpoints are there.
/// </summary>
public sealed class KubectlRealismTests(KubectlSandbox sandbox) : IClassFixture<KubectlSandbox>
{
    [Fact]
    public async Task DeletedPod_IsReplacedByOneThatStartsFromZero_AndBecomesReadyAFewSecondsLater()
    {
        var kube = sandbox.Host.Service<Services.Eks.EksService>().Clusters["staging"].Kube;
        var old = kube.Pods().Single(p => p.Metadata.Labels["app"] == "redis").Metadata.Name;

        await sandbox.Kubectl.RunAsync("delete", "pod", old, "-n", "default", "--wait=false");
        var replacement = kube.Pods().Single(p => p.Metadata.Labels["app"] == "redis").Metadata.Name;
        var starting = await sandbox.Kubectl.RunAsync("get", "pod", replacement, "-n", "default");
        sandbox.Host.Clock.Advance(TimeSpan.FromSeconds(3.5));
        var running = await sandbox.Kubectl.RunAsync("get", "pod", replacement, "-n", "default");
        sandbox.Host.Clock.Advance(TimeSpan.FromSeconds(2));
        var ready = await sandbox.Kubectl.RunAsync("get", "pod", replacement, "-n", "default");
        var described = await sandbox.Kubectl.RunAsync("describe", "pod", replacement, "-n", "default");

        replacement.Should().NotBe(old);
        starting.Should().MatchRegex($@"{replacement}\s+0/1\s+ContainerCreating\s+0\s");
        running.Should().MatchRegex($@"{replacement}\s+0/1\s+Running\s+0\s");
        ready.Should().MatchRegex($@"{replacement}\s+1/1\s+Running\s+0\s");
        described.Should().MatchRegex(@"Restart Count:\s+0");
        foreach (var reason in new[] { "Scheduled", "Pulling", "Pulled", "Created", "Started" })
            described.Should().MatchRegex($@"Normal\s+{reason}\s");
    }

    [Fact]
    public async Task GetPodsOfAllNamespaces_ByFieldSelectorOnName_FindsThePodInEveryNamespace_AsAnApiServerDoes()
    {
        var kube = sandbox.Host.Service<Services.Eks.EksService>().Clusters["staging"].Kube;
        kube.RunPod("web", "probe-by-name", "public.ecr.aws/docker/library/busybox:1.36");
        kube.RunPod("batch", "probe-by-name", "public.ecr.aws/docker/library/busybox:1.36");

        var both = await sandbox.Kubectl.RunAsync("get", "pods", "-A", "--field-selector", "metadata.name=probe-by-name", "--no-headers");
        var one = await sandbox.Kubectl.RunAsync("get", "pods", "-A", "--field-selector", "metadata.name=probe-by-name,metadata.namespace!=web", "--no-headers");
        var none = await sandbox.Kubectl.RunAsync("get", "pods", "-A", "--field-selector", "metadata.name=probe-by", "--no-headers");
        var (code, unsupported) = await sandbox.Kubectl.TryAsync("get", "pods", "-A", "--field-selector", "metadata.labels=x");

        both.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] + "/" + l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .Should().Equal("batch/probe-by-name", "web/probe-by-name");
        one.Should().MatchRegex(@"^batch\s+probe-by-name\s+1/1\s+Running");
        none.Should().Contain("No resources found").And.NotContain("probe-by-name", "a field selector matches the whole name, never a prefix");
        code.Should().NotBe(0);
        unsupported.Should().Contain("field label not supported: metadata.labels");
    }

    [Fact]
    public async Task DescribePod_ShowsThePodsEvents()
    {
        var pod = sandbox.Host.Service<Services.Eks.EksService>().Clusters["staging"].Kube.Pods()
            .First(p => p.Metadata.NamespaceProperty == "web" && p.Metadata.Labels["app"] == "api").Metadata.Name;

        var described = await sandbox.Kubectl.RunAsync("describe", "pod", pod, "-n", "web");

        described.Should().NotContain("Events:                      <none>").And.NotMatchRegex(@"Events:\s+<none>");
        described.Should().MatchRegex(@"Warning\s+BackOff\s+.*Back-off restarting failed container app");
    }

    [Fact]
    public async Task GetServicesAndEndpoints_ListWhatFrontsTheDeployments()
    {
        var services = await sandbox.Kubectl.RunAsync("get", "svc", "-A");
        var endpoints = await sandbox.Kubectl.RunAsync("get", "endpoints", "frontend", "-n", "web");

        services.Should().MatchRegex(@"NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE");
        services.Should().MatchRegex(@"default\s+kubernetes\s+ClusterIP\s+172\.20\.0\.1\s+<none>\s+443/TCP");
        services.Should().MatchRegex(@"kube-system\s+kube-dns\s+ClusterIP\s+172\.20\.0\.10\s+<none>\s+53/UDP,53/TCP");
        services.Should().MatchRegex(@"web\s+frontend\s+ClusterIP\s+172\.20\.\d+\.\d+\s+<none>\s+80/TCP");
        Regex.Matches(endpoints, @"10\.0\.\d+\.\d+:8080").Count.Should().Be(3, "frontend has three ready pods");
    }
}

/// <summary>
/// <c>kubectl rollout status</c> follows a restart or a scale-up through the watch until the new pods are ready: the
/// clock is frozen until kubectl watches, then moved past the pods' start-up, which the open watch must deliver.
/// </summary>
public sealed class KubectlRolloutTests(RolloutKubectlSandbox rollout) : IClassFixture<RolloutKubectlSandbox>
{
    private KubectlSandbox Sandbox => rollout.Sandbox;

    [Fact]
    public async Task RolloutRestart_ThenRolloutStatus_WatchesUntilTheNewPodsAreReady()
    {
        var kubectl = Sandbox.Kubectl;

        (await kubectl.RunAsync("rollout", "restart", "deployment/frontend", "-n", "web")).Should().Contain("deployment.apps/frontend restarted");
        var status = await StatusWhileTimePassesAsync("frontend", "web");

        status.Should().Contain("Waiting for deployment \"frontend\" rollout to finish")
            .And.Contain("deployment \"frontend\" successfully rolled out")
            .And.NotContain("error").And.NotContain("watch");
        (await kubectl.RunAsync("get", "rs", "-n", "web", "-l", "app=frontend")).Should().MatchRegex(@"frontend-\w+\s+3\s+3\s+3\s").And.MatchRegex(@"frontend-\w+\s+0\s+0\s+0\s");
    }

    [Fact]
    public async Task ScaleUp_ThenRolloutStatus_WaitsForTheNewReplicas()
    {
        var kubectl = Sandbox.Kubectl;

        (await kubectl.RunAsync("scale", "deployment/redis", "-n", "default", "--replicas=3")).Should().Contain("scaled");
        var status = await StatusWhileTimePassesAsync("redis", "default");

        status.Should().Contain("Waiting for deployment \"redis\" rollout to finish: 1 of 3 updated replicas are available...")
            .And.Contain("successfully rolled out");
        (await kubectl.RunAsync("get", "deployment", "redis", "-n", "default")).Should().MatchRegex(@"redis\s+3/3\s+3\s+3\s");
    }

    // Runs rollout status; once it watches the deployment, moves the frozen clock past the new pods' start-up.
    private async Task<string> StatusWhileTimePassesAsync(string deployment, string ns)
    {
        var since = Sandbox.Host.Requests.Last;
        var status = Sandbox.Kubectl.RunAsync("rollout", "status", $"deployment/{deployment}", "-n", ns, "--timeout=60s");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Sandbox.Host.Requests.Since(since).Any(r => r.RawTarget.Contains("/deployments?", StringComparison.Ordinal)
            && r.RawTarget.Contains("watch=true", StringComparison.Ordinal)) && !status.IsCompleted && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Sandbox.Host.Clock.Advance(TimeSpan.FromSeconds(6));
        return await status;
    }
}
