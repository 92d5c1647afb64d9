using FluentAssertions;
using k8s;
using k8s.Models;
using McpCloudTools.Sandbox.Services.Eks.Kube;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// The sandbox writes its Kubernetes objects with its own small source-generated context instead of KubernetesClient's
/// context of every model: the bytes on the wire must not change.
/// </summary>
public sealed class KubeJsonTests
{
    [Fact]
    public void EveryKindTheApiServes_IsWrittenByteForByteAsKubernetesClientWritesIt()
    {
        var cluster = new KubeCluster("json", "v1.31.2-eks-7f9249a", () => new DateTimeOffset(2026, 12, 6, 8, 0, 0, 123, TimeSpan.Zero), new Random(7));
        KubeSeeder.Seed(cluster, [new("general", "m6i.large", 2), new("spot", "m5.xlarge", 1, "SPOT")],
            [.. Enum.GetValues<PodProfile>().Select((p, i) => new WorkloadPlan("web", "app-" + i, 2, p))], "v1.31.2-eks-7f9249a");
        List<object> objects =
        [
            .. cluster.Namespaces(), .. cluster.Nodes(), .. cluster.Pods(), .. cluster.Events(), .. cluster.Deployments(),
            .. cluster.ReplicaSets(), .. cluster.Services(), .. cluster.Endpoints(),
            new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = [.. cluster.Pods()], Metadata = new V1ListMeta { ResourceVersion = "12", ContinueProperty = "abc", RemainingItemCount = 3 } },
            new Corev1EventList { ApiVersion = "v1", Kind = "EventList", Items = [.. cluster.Events()], Metadata = new V1ListMeta() },
            new V1Scale { Metadata = new V1ObjectMeta { Name = "app-0", ResourceVersion = "4" }, Spec = new V1ScaleSpec { Replicas = 3 }, Status = new V1ScaleStatus { Replicas = 2, Selector = "app=web" } },
            cluster.Pods()[0].Metadata,
        ];
        objects.Should().Contain(o => o is V1Pod).And.Contain(o => o is Corev1Event).And.Contain(o => o is V1Node);
        cluster.Pods().SelectMany(p => p.Spec.Containers).Should().Contain(c => c.Resources != null && c.Resources.Requests != null,
            "the seeded pods carry resource quantities, which the comparison must cover");

        foreach (var o in objects)
            KubeJson.Serialize(o).Should().Be(KubernetesJson.Serialize(o), "{0} must be written as before", o.GetType().Name);
    }

    [Fact]
    public void AKindTheApiDoesNotServe_IsRefusedWithItsName()
    {
        var write = () => KubeJson.Serialize(new V1ConfigMap());
        write.Should().Throw<NotSupportedException>().WithMessage("*V1ConfigMap*KubeObjectsJsonContext*");
    }

    [Fact]
    public void AScaleSentWithPut_IsRead()
    {
        var scale = KubeJson.DeserializeScale("""{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"front","resourceVersion":"9"},"spec":{"replicas":4}}""");
        scale!.Spec.Replicas.Should().Be(4);
        scale.Metadata.ResourceVersion.Should().Be("9");
    }
}
