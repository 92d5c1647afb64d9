using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using k8s;
using k8s.Models;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>
/// The plugin reads Kubernetes objects with its own source-generated context (not KubernetesClient's context of every
/// model): quantities, int-or-string ports and RFC 3339 times must read as KubernetesClient reads them.
/// </summary>
public sealed class KubeJsonContextTests
{
    // A pod as an EKS API server returns it (trimmed), with the value shapes that need converters.
    private const string Pod = """
        {"kind":"Pod","apiVersion":"v1",
         "metadata":{"name":"api-7d9c5b6f4-x2x9z","namespace":"payments","uid":"5f1c0e0e-8d1c-4a8e-9a55-0d5b7c1e2f3a","resourceVersion":"918273",
          "creationTimestamp":"2026-12-06T08:00:00Z","labels":{"app":"api","pod-template-hash":"7d9c5b6f4"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"api-7d9c5b6f4","uid":"0b8a2c1e-1111-2222-3333-444455556666","controller":true,"blockOwnerDeletion":true}],
          "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-12-06T08:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}}}}]},
         "spec":{"containers":[{"name":"app","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2",
            "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
            "resources":{"requests":{"cpu":"250m","memory":"64Mi","ephemeral-storage":"1G"},"limits":{"cpu":"1","memory":"128Mi"}},
            "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"initialDelaySeconds":10,"periodSeconds":10},
            "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":5},
            "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
          "restartPolicy":"Always","terminationGracePeriodSeconds":30,"nodeName":"ip-10-0-1-23.ec2.internal","priority":0,
          "overhead":{"cpu":"100m"}},
         "status":{"phase":"Running","hostIP":"10.0.1.23","podIP":"10.0.1.77","startTime":"2026-12-06T08:00:01Z","qosClass":"Burstable",
          "conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-06T08:00:09Z"}],
          "containerStatuses":[{"name":"app","ready":true,"restartCount":2,"image":"api:1.4.2","imageID":"sha256:ab","started":true,
            "state":{"running":{"startedAt":"2026-12-06T08:00:04.123456Z"}},
            "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2026-12-06T07:59:01Z","finishedAt":"2026-12-06T08:00:03.987654321Z"}}}]}}
        """;

    [Fact]
    public void APod_ReadsQuantitiesPortsAndTimes()
    {
        var pod = JsonSerializer.Deserialize(Pod, KubeJsonContext.Default.V1Pod)!;

        var app = pod.Spec.Containers[0];
        app.Resources.Requests["cpu"].ToDecimal().Should().Be(0.25m);
        app.Resources.Requests["memory"].ToDecimal().Should().Be(64m * 1024 * 1024);
        app.Resources.Requests["ephemeral-storage"].ToDecimal().Should().Be(1_000_000_000m);
        app.Resources.Limits["cpu"].ToString().Should().Be("1");
        pod.Spec.Overhead["cpu"].ToString().Should().Be("100m");
        app.LivenessProbe.HttpGet.Port.Value.Should().Be("http");
        app.ReadinessProbe.TcpSocket.Port.Value.Should().Be("8080");
        pod.Metadata.CreationTimestamp.Should().Be(new DateTime(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc));
        pod.Metadata.CreationTimestamp!.Value.Kind.Should().Be(DateTimeKind.Utc);
        var status = pod.Status.ContainerStatuses[0];
        status.State.Running.StartedAt.Should().Be(new DateTime(2026, 12, 6, 8, 0, 4, DateTimeKind.Utc).AddTicks(1_234_560));
        status.LastState.Terminated.FinishedAt.Should().Be(new DateTime(2026, 12, 6, 8, 0, 3, DateTimeKind.Utc).AddTicks(9_876_543), "nanoseconds are cut to ticks");
        status.RestartCount.Should().Be(2);
        pod.Status.Conditions[0].LastTransitionTime.Should().Be(new DateTime(2026, 12, 6, 8, 0, 9, DateTimeKind.Utc));
    }

    [Fact]
    public void APod_ReadsAndWritesExactlyAsKubernetesClientDoes()
    {
        var ours = JsonSerializer.Deserialize(Pod, KubeJsonContext.Default.V1Pod)!;
        var theirs = KubernetesJson.Deserialize<V1Pod>(Pod);

        var written = JsonSerializer.Serialize(ours, KubeJsonContext.Default.V1Pod);
        JsonNode.Parse(written)!["metadata"]!["managedFields"]![0]!["fieldsV1"]!.ToJsonString().Should().Be("""{"f:metadata":{"f:labels":{}}}""");
        // KubernetesClient itself cannot write a free-form field back (no JsonElement in its context): compare without them.
        ours.Metadata.ManagedFields = theirs.Metadata.ManagedFields = null;
        JsonSerializer.Serialize(ours, KubeJsonContext.Default.V1Pod).Should().Be(KubernetesJson.Serialize(theirs));
        JsonSerializer.Serialize(JsonSerializer.Deserialize(written, KubeJsonContext.Default.V1Pod)!, KubeJsonContext.Default.V1Pod)
            .Should().Be(written, "a second round trip changes nothing");
        var node = JsonNode.Parse(written)!;
        node["spec"]!["containers"]![0]!["readinessProbe"]!["tcpSocket"]!["port"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        node["spec"]!["containers"]![0]!["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>().Should().Be("http");
        node["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]!.GetValue<string>().Should().Be("250m");
        node["metadata"]!["creationTimestamp"]!.GetValue<string>().Should().StartWith("2026-12-06T08:00:00");
        node["status"]!["conditions"]![0]!.AsObject().ContainsKey("lastProbeTime").Should().BeFalse("nulls are left out");
    }
}
