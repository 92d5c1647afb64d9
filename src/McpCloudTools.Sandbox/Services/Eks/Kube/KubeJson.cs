using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// The sandbox API's JSON for the Kubernetes objects it serves, as the API server writes them: KubernetesClient's
/// options (camelCase, nulls left out, RFC 3339 date-times through its public converters; <c>IntOrString</c> and
/// <c>ResourceQuantity</c> carry their converters on the type), over exactly the kinds this API serves. Not
/// <c>KubernetesJson</c>: its context lists all ~860 models, and naming it puts every one of them into the NativeAOT
/// binary, rehydrated at each start (README "Performance").
/// </summary>
internal static class KubeJson
{
    /// <summary>An object the API serves, by its runtime type (a list, an item, a watch event's object, a row's metadata).</summary>
    public static string Serialize(object value) =>
        JsonSerializer.Serialize(value, KubeObjectsJsonContext.Default.GetTypeInfo(value.GetType())
            ?? throw new NotSupportedException($"The sandbox's Kubernetes API does not serve {value.GetType().Name}; add it to {nameof(KubeObjectsJsonContext)}."));

    /// <summary>A scale sent with PUT.</summary>
    public static V1Scale? DeserializeScale(string json) => JsonSerializer.Deserialize(json, KubeObjectsJsonContext.Default.V1Scale);
}

/// <summary>The kinds the sandbox's Kubernetes API serves (see <see cref="KubeJson"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesJson.Iso8601TimeSpanConverter), typeof(KubernetesJson.KubernetesDateTimeConverter), typeof(KubernetesJson.KubernetesDateTimeOffsetConverter)])]
[JsonSerializable(typeof(V1APIVersions))]
[JsonSerializable(typeof(V1APIGroupList))]
[JsonSerializable(typeof(V1APIResourceList))]
[JsonSerializable(typeof(V1ObjectMeta))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1NamespaceList))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1PodList))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(Corev1EventList))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(V1NodeList))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1ServiceList))]
[JsonSerializable(typeof(V1Endpoints))]
[JsonSerializable(typeof(V1EndpointsList))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1DeploymentList))]
[JsonSerializable(typeof(V1ReplicaSet))]
[JsonSerializable(typeof(V1ReplicaSetList))]
[JsonSerializable(typeof(V1Scale))]
// Free-form fields (managedFields[].fieldsV1, …) are typed object: read as JsonElement, and written back as such.
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class KubeObjectsJsonContext : JsonSerializerContext;
