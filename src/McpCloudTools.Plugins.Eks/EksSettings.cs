using k8s;
using McpCloudTools.Aws;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Plugins.Eks;

/// <summary>
/// An eks instance's settings: its AWS part and the kubeconfig contexts it serves, parsed and checked when the
/// instance is created or reconfigured (the file exists and parses, every named context is in it).
/// </summary>
/// <param name="Aws">Identity, region, endpoint.</param>
/// <param name="Kubeconfig">The kubeconfig file whose contexts to serve, when <paramref name="Contexts"/> names any.</param>
/// <param name="Contexts">The contexts to register as clusters (every one of the file's for <c>*</c>); empty for none.</param>
public sealed record EksSettings(AwsSettings Aws, string? Kubeconfig, IReadOnlyList<string> Contexts) : IAwsInstanceSettings
{
    /// <summary>Instance config key: the kubeconfig file.</summary>
    public const string KubeconfigKey = "kubeconfig";

    /// <summary>Instance config key: which contexts to register (names, comma-separated, or <c>*</c>).</summary>
    public const string ContextsKey = "kubeconfig_contexts";

    /// <summary>The instance config keys: the AWS ones and the kubeconfig ones.</summary>
    public static IReadOnlyList<PluginConfigKey> ConfigKeys { get; } =
    [
        .. AwsSettings.ConfigKeys,
        new(KubeconfigKey, "Kubeconfig file whose contexts to serve (default $KUBECONFIG or ~/.kube/config)"),
        new(ContextsKey, "Kubeconfig contexts to register: names, comma-separated, or *; none by default"),
    ];

    /// <summary>Reads and checks the config; every problem is refused at once with the valid forms.</summary>
    public static EksSettings Parse(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var aws = AwsSettings.Parse(config);
        var path = config.Text(KubeconfigKey);
        var wanted = config.Text(ContextsKey);
        IReadOnlyList<string> contexts = [];
        string? kubeconfig = null;
        if (wanted is not null || path is not null)
        {
            kubeconfig = path ?? DefaultKubeconfig();
            var available = ContextsIn(kubeconfig, path is null ? ContextsKey : KubeconfigKey, config);
            if (available is not null && wanted is not null)
            {
                var names = wanted == "*" ? available : wanted.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                var missing = names.Except(available).ToList();
                if (missing.Count > 0)
                {
                    config.Problem(ContextsKey, wanted, $"names contexts that kubeconfig {kubeconfig} does not have ({string.Join(", ", missing)}): " +
                        $"use some of {(available.Count == 0 ? "(it has none)" : string.Join(", ", available))}, comma-separated, or *.");
                }

                contexts = names;
            }
        }

        config.ThrowIfInvalid();
        return new EksSettings(aws, kubeconfig, contexts);
    }

    /// <summary>The contexts of a kubeconfig file, or null (with the problem recorded) when it cannot be read.</summary>
    private static List<string>? ContextsIn(string path, string key, ConfigReader config)
    {
        if (!File.Exists(path))
        {
            config.Problem(key, path, $"points at no file: kubeconfig {path} does not exist. Set kubeconfig to the file's path.");
            return null;
        }

        try
        {
            return KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path)).Contexts?.Select(c => c.Name).ToList() ?? [];
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or
                                      YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            config.Problem(key, path, $"cannot be read as a kubeconfig ({e.Message.TrimEnd('.')}): check it with kubectl --kubeconfig {path} config get-contexts.");
            return null;
        }
    }

    private static string DefaultKubeconfig() =>
        Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env
            ? env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
}
