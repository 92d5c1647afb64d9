using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// Kubernetes' own naming rules, as the API server applies them per kind: namespaces and container names are
/// DNS-1123 labels (≤ 63), pods, deployments and nodes DNS-1123 subdomains (≤ 253). KubernetesClient puts path
/// parameters into the URL unescaped (<c>"api/v1/namespaces/" + ns + "/pods/" + name</c>, then <c>new Uri(base, …)</c>
/// resolves <c>..</c> and cuts at <c>#</c> or <c>?</c>), so only a value that passes these rules may reach it; every
/// such value is made of characters that need no escaping.
/// </summary>
public static partial class KubeNames
{
    private const string Label = "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    private const string Subdomain = "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";

    /// <summary>A namespace (DNS-1123 label).</summary>
    public static NameRule Namespace { get; } = new("a namespace", LabelPattern(), 63, LabelChar, Label, "eks_namespace_list shows them.");

    /// <summary>A pod name (DNS-1123 subdomain).</summary>
    public static NameRule Pod { get; } = new("a pod name", SubdomainPattern(), 253, SubdomainChar, Subdomain,
        "eks_pod_list shows the pods (namespace defaults to 'default').");

    /// <summary>A deployment name (DNS-1123 subdomain).</summary>
    public static NameRule Deployment { get; } = new("a deployment name", SubdomainPattern(), 253, SubdomainChar, Subdomain,
        "eks_deployment_list shows them.");

    /// <summary>A node name (DNS-1123 subdomain).</summary>
    public static NameRule Node { get; } = new("a node name", SubdomainPattern(), 253, SubdomainChar, Subdomain, "eks_node_list shows them.");

    /// <summary>A container name (DNS-1123 label).</summary>
    public static NameRule Container { get; } = new("a container name", LabelPattern(), 63, LabelChar, Label,
        "eks_pod_describe shows the pod's containers.");

    /// <summary>A label selector (<c>app=web,tier!=db</c>, <c>env in (prod,staging)</c>, <c>!canary</c>); sent as a query value.</summary>
    public static NameRule LabelSelector { get; } = new("a label selector", SelectorPattern(), 1024,
        c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or '!' or ',' or '(' or ')' or ' ',
        "key=value, key!=value, key in (a,b), key notin (a,b), key or !key, comma-separated; keys and values are letters, digits, "
        + "'-', '_', '.' (and '/' after a key prefix), at most 1024 characters", "e.g. app=web,tier!=db");

    /// <summary>Whether every segment of a request path is something these rules (or the API's own words) allow.</summary>
    public static bool IsPlainSegment(string segment) => segment.Length is > 0 and <= 253 && segment is not ("." or "..")
        && segment.All(SubdomainChar);

    private static bool LabelChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-';

    private static bool SubdomainChar(char c) => LabelChar(c) || c == '.';

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_./!=,() -]+$")]
    private static partial Regex SelectorPattern();
}

/// <summary>Which rule a value of an EKS tool parameter follows.</summary>
public enum EksName
{
    /// <summary><see cref="KubeNames.Namespace"/>.</summary>
    Namespace,

    /// <summary><see cref="KubeNames.Pod"/>.</summary>
    Pod,

    /// <summary><see cref="KubeNames.Deployment"/>.</summary>
    Deployment,

    /// <summary><see cref="KubeNames.Container"/>.</summary>
    Container,

    /// <summary><see cref="KubeNames.LabelSelector"/>.</summary>
    LabelSelector,

    /// <summary><see cref="Client.EksNames.Nodegroup"/>.</summary>
    Nodegroup,
}

/// <summary>Declares that a tool parameter is a Kubernetes or EKS name; the call guard checks it before the tool runs.</summary>
/// <param name="name">Which rule.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class EksNameAttribute(EksName name) : ArgumentRuleAttribute
{
    /// <summary>Which rule.</summary>
    public EksName Name => name;

    /// <inheritdoc />
    public override ArgumentRule Rule => name switch
    {
        EksName.Namespace => KubeNames.Namespace,
        EksName.Pod => KubeNames.Pod,
        EksName.Deployment => KubeNames.Deployment,
        EksName.Container => KubeNames.Container,
        EksName.LabelSelector => KubeNames.LabelSelector,
        EksName.Nodegroup => Client.EksNames.Nodegroup,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
