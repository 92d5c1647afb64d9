using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Eks.Client;

/// <summary>
/// EKS's own naming rules (eks.service-2.json <c>ClusterName</c>; node group names follow the same form, at most 63
/// characters per the EKS user guide), used for every name the client puts in a path.
/// </summary>
public static partial class EksNames
{
    /// <summary><c>ClusterName</c>: 1-100 letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static NameRule Cluster { get; } = new("an EKS cluster name", ClusterPattern(), 100, Word,
        "letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters",
        "eks_cluster_list shows the clusters of this instance's account and region.");

    /// <summary>A node group name: 1-63 letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static NameRule Nodegroup { get; } = new("a node group name", NodegroupPattern(), 63, Word,
        "letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters",
        "eks_nodegroup_list shows the cluster's node groups.");

    /// <summary>An add-on name (<c>vpc-cni</c>, <c>aws-ebs-csi-driver</c>, marketplace <c>vendor_addon</c>).</summary>
    public static NameRule Addon { get; } = new("an add-on name", AddonPattern(), 100, c => Word(c) || c == '.',
        "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100 characters",
        "eks_addon_list shows the cluster's add-ons.");

    /// <summary>An update id (a UUID).</summary>
    public static NameRule UpdateId { get; } = new("an update id", UpdatePattern(), 36, c => char.IsAsciiHexDigit(c) || c == '-',
        "a UUID (8-4-4-4-12 hexadecimal digits)");

    private static bool Word(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex ClusterPattern();

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex NodegroupPattern();

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex AddonPattern();

    [GeneratedRegex("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
    private static partial Regex UpdatePattern();
}
