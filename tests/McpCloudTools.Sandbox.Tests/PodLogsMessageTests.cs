using McpCloudTools.Core;
using McpCloudTools.Plugins.Eks;
using McpCloudTools.Sandbox.Services.Eks;
using McpCloudTools.Testing;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// <c>eks_pod_logs</c> on a container that never ran says so in one sentence, in the pod's terms (what it waits for,
/// or that it is on no node), then what to do: not the API's refusal glued to the plugin's sentence.
/// </summary>
public sealed class PodLogsMessageTests : IAsyncLifetime
{
    private SandboxHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await SandboxHarness.StartAsync(s => s.AddPlugin<EksPlugin>());
        await _h.Sandbox.Service<EksService>().KubeApiAsync("staging", CancellationToken.None);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("payments", "gateway", false, "has never started, so it has no logs: it is waiting in ImagePullBackOff (Back-off pulling image \"123456789012.dkr.ecr.us-east-1.amazonaws.com/gateway:2.4.1-rc0\"). eks_pod_describe shows its events.")]
    [InlineData("payments", "notifier", false, "has never started, so it has no logs: it is waiting in CreateContainerConfigError (secret \"notifier-db\" not found). eks_pod_describe shows its events.")]
    [InlineData("batch", "ml-trainer", false, "has never started, so it has no logs: the pod is not scheduled to a node (Unschedulable: 0/3 nodes are available: 3 Insufficient memory.")]
    [InlineData("payments", "fraud-check", true, "has never started, so it has no logs: it is waiting in ErrImagePull")]
    [InlineData("web", "frontend", true, "has no previous instance: it has not restarted (restarts 0). Without previous=true the current instance's log is shown.")]
    public async Task PodLogs_OfAContainerThatNeverRan_IsOneSentenceAndWhatToDo(string ns, string app, bool previous, string expected)
    {
        var pod = _h.Sandbox.Service<EksService>().Clusters["staging"].Kube.Pods()
            .First(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Labels["app"] == app
                && p.Status.ContainerStatuses?.All(s => s.RestartCount == 0) != false).Metadata.Name;

        var result = await _h.CallAsync("eks_pod_logs", new { cluster_id = "eks:staging", @namespace = ns, pod, container = "app", previous });

        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith($"{ns}/{pod} container app ").And.Contain(expected)
            .And.NotContain("refused the request", "the API's refusal is explained, not pasted after a colon");
    }
}
