using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>What a Kubernetes call's span names: the resource kind from the URL's shape, never a name or namespace.</summary>
public sealed class KubeTelemetryHandlerTests
{
    [Theory]
    [InlineData("https://k8s.example/api/v1/namespaces/web/pods/api-1/log?tailLines=5", "pods", "log")]
    [InlineData("https://k8s.example/api/v1/pods?limit=500", "pods", null)]
    [InlineData("https://k8s.example/api/v1/namespaces", "namespaces", null)]
    [InlineData("https://k8s.example/api/v1/namespaces/web", "namespaces", null)]
    [InlineData("https://k8s.example/apis/apps/v1/namespaces/web/deployments/front", "deployments", null)]
    [InlineData("https://k8s.example/prefix/api/v1/nodes/ip-10-0-0-1", "nodes", null)]
    [InlineData("https://k8s.example/version", "other", null)]
    [InlineData("https://k8s.example/api/v1/namespaces/web/Pods%20X/x/y", "other", "y")]
    public void Resource_IsReadFromThePathShape(string url, string resource, string? subresource)
    {
        using var handler = new KubeTelemetryHandler(new Uri(url.Contains("/prefix/", StringComparison.Ordinal) ? "https://k8s.example/prefix" : "https://k8s.example"));
        handler.Resource(new Uri(url)).Should().Be((resource, subresource));
    }
}
