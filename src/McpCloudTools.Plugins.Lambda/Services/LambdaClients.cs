using System.Collections.Concurrent;
using McpCloudTools.Aws;
using McpCloudTools.Aws.Logs;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>The Lambda and CloudWatch Logs clients of one plugin instance.</summary>
/// <param name="Lambda">Lambda.</param>
/// <param name="Logs">CloudWatch Logs, for function logs.</param>
/// <param name="Context">The instance's AWS context (region, for messages).</param>
public sealed record LambdaInstanceClients(ILambdaClient Lambda, ICloudWatchLogsClient Logs, AwsContext Context);

/// <summary>
/// Per-instance clients, built on first use and kept while the instance's config version is unchanged (a config change
/// must rebuild them: new credentials, region or endpoint).
/// </summary>
public sealed class LambdaClients(AwsContextProvider contexts)
{
    private readonly ConcurrentDictionary<string, (int Version, LambdaInstanceClients Clients)> _cache = new(StringComparer.Ordinal);

    /// <summary>The clients of <paramref name="context"/>'s instance.</summary>
    public LambdaInstanceClients For(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instance = context.Instance;
        if (_cache.TryGetValue(instance.Id, out var cached) && cached.Version == instance.ConfigVersion) return cached.Clients;
        var aws = contexts.Get(instance.Id, instance.Config);
        var clients = new LambdaInstanceClients(new LambdaClient(aws), new CloudWatchLogsClient(aws), aws);
        _cache[instance.Id] = (instance.ConfigVersion, clients);
        return clients;
    }
}
