using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// Source-generated JSON for exactly the Kubernetes objects the plugin reads, with the options of KubernetesClient's own
/// context (camelCase, nulls left out, RFC 3339 date-times through its public converters; <c>IntOrString</c> and
/// <c>ResourceQuantity</c> carry their converters on the type). KubernetesClient's context lists all of its ~860
/// models; naming it anywhere (<c>KubernetesJson</c>, a generated operation) makes a NativeAOT binary carry and
/// rehydrate every one of them at start, so the plugin never does (README "Performance").
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesJson.Iso8601TimeSpanConverter), typeof(KubernetesJson.KubernetesDateTimeConverter), typeof(KubernetesJson.KubernetesDateTimeOffsetConverter)])]
[JsonSerializable(typeof(V1NamespaceList))]
[JsonSerializable(typeof(V1PodList))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(Corev1EventList))]
[JsonSerializable(typeof(V1DeploymentList))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1Scale))]
[JsonSerializable(typeof(V1NodeList))]
// Free-form fields (managedFields[].fieldsV1, …) are typed object: read as JsonElement, and written back as such.
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
