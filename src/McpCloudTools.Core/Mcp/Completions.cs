using System.Collections.Concurrent;
using System.Diagnostics;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// <c>completion/complete</c> for prompt and resource-template arguments. The plugin type comes from the reference
/// (a prompt's <c>&lt;type&gt;_</c> prefix, a template's scheme); <c>instance</c> and <c>cluster_id</c> complete from the
/// registry, every other argument from the plugin's <see cref="PluginBase.CompleteAsync"/> on the chosen (or first
/// enabled) instance. Answers are cached per instance and argument for <see cref="CacheFor"/>, filtered by the typed
/// prefix (case-insensitive) and bounded to <see cref="MaxValues"/>, with <c>total</c> and <c>hasMore</c> set. An
/// argument nobody completes, or a source that fails, completes to nothing: completion is a hint, never an error.
/// Live values are data a read tool would show: a caller without the read grant gets none, and the plugin is asked as
/// the caller (<see cref="CallerScope"/>: their own AWS identity on a <c>caller_role_arn</c> instance), its answer cached
/// for that caller only. A completion that read live values (a plugin asked, or an instance's clusters discovered) has an
/// audit line like a tool call's (<see cref="AuditRecord.Completion"/>); one answered from the registry or the cache
/// reads nothing and has none.
/// </summary>
public sealed partial class Completions(InstanceRegistry instances, ClusterRegistry clusters, ToolCatalog catalog, PluginRouter router, TimeProvider time)
{
    /// <summary>The most values one answer carries (the protocol's own bound).</summary>
    public const int MaxValues = 100;

    /// <summary>How long a plugin's live answer is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private const int MaxCached = 256;

    /// <summary>How much of the client's prompt name, template URI and argument name an audit line keeps.</summary>
    private const int MaxAuditedChars = 200;

    private ToolCatalog Catalog => catalog;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Values)> _cache = new(StringComparer.Ordinal);

    /// <summary>The SDK handler.</summary>
    public static async ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> context, CancellationToken cancellationToken)
    {
        var self = context.Services?.GetService<Completions>();
        var request = context.Params;
        if (self is null || request is null) return Answer([], "");
        var chosen = request.Context?.Arguments is { } args
            ? new Dictionary<string, string>(args, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var type = request.Ref switch
        {
            PromptReference p => self.Catalog.Plugins.FirstOrDefault(x => p.Name.StartsWith(x.Info.Type + "_", StringComparison.Ordinal))?.Info.Type,
            ResourceTemplateReference r when r.Uri?.IndexOf("://", StringComparison.Ordinal) is > 0 and var i => r.Uri[..i],
            _ => null,
        };
        var plugin = type is null ? null : self.Catalog.FindPlugin(type);
        var prefix = request.Argument.Value ?? "";
        if (plugin is null || !CallerScope.MayRead(context.Services!, context.User, out _)) return Answer([], prefix);
        using var caller = CallerScope.Enter(context.User);
        using var auditScope = AuditScope.Begin(out var noted);
        var startedAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var (values, outcome) = await self.ValuesAsync(plugin, request.Argument.Name, chosen, cancellationToken).ConfigureAwait(false);
        if (outcome is not null)
        {
            var what = (request.Ref switch { PromptReference p => p.Name, ResourceTemplateReference r => r.Uri ?? "", _ => "" }) + "#" + request.Argument.Name;
            Audit(context, Fmt.Clip(what, MaxAuditedChars), startedAt, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, noted, outcome);
        }

        return Answer(values, prefix);
    }

    /// <summary>The audit line of a completion that read live values: JSON with the caller, or the log's text line (as for tool calls).</summary>
    private static void Audit(RequestContext<CompleteRequestParams> context, string completion, DateTimeOffset startedAt, long elapsedMs, AuditScope noted,
        string outcome)
    {
        var services = context.Services!;
        services.GetRequiredService<AuditTrail>().Record(
            () => AuditRecord.OfRequest(context.User, context.Server.SessionId, startedAt, elapsedMs, noted, outcome) with { Completion = completion },
            () => LogCompleted(services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Audit"), completion, outcome, elapsedMs));
    }

    [LoggerMessage(LogLevel.Information, "completion {Completion} read live values: {Outcome} in {ElapsedMs} ms")]
    private static partial void LogCompleted(ILogger logger, string completion, string outcome, long elapsedMs);

    /// <summary>The values, and how reading live ones ended (<c>ok</c>, <c>error</c>), or null when none were read.</summary>
    private async Task<(IReadOnlyList<string> Values, string? Outcome)> ValuesAsync(PluginBase plugin, string argument, Dictionary<string, string> chosen,
        CancellationToken cancellationToken)
    {
        var type = plugin.Info.Type;
        var enabled = instances.All.Where(i => i.Enabled && string.Equals(i.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();
        switch (argument)
        {
            case "instance":
                return ([.. enabled.Select(i => i.Id)], null);
            case "cluster_id":
                var discovered = "ok";
                try
                {
                    // Discovery registers an instance's clusters on its first use.
                    await router.AllInstancesAsync(type, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The clusters known so far still help.
                    discovered = "error";
                }

                return ([.. clusters.All.Where(c => string.Equals(c.PluginType, type, StringComparison.OrdinalIgnoreCase)).Select(c => c.Id)], discovered);
        }

        var instance = chosen.TryGetValue("instance", out var id) ? enabled.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase))
            : chosen.TryGetValue("cluster_id", out var cluster) && clusters.Find(cluster)?.InstanceId is { } owner
                ? enabled.FirstOrDefault(i => string.Equals(i.Id, owner, StringComparison.OrdinalIgnoreCase))
                : enabled.FirstOrDefault();
        if (instance is null) return ([], null);
        var key = string.Join('\u001f', [CallerKey.Current.ToString(), instance.Id, argument, .. chosen.Where(c => c.Key != argument).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + c.Value)]);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && now - hit.At < CacheFor) return (hit.Values, null);
        IReadOnlyList<string> values;
        var outcome = "ok";
        try
        {
            var ctx = await router.InstanceAsync(instance.Type, instance.Id, cancellationToken).ConfigureAwait(false);
            values = await plugin.CompleteAsync(ctx, argument, chosen, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A hint that cannot be had is no hint; the tools say why when they are called.
            values = [];
            outcome = "error";
        }

        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[key] = (now, values);
        return (values, outcome);
    }

    private static CompleteResult Answer(IEnumerable<string> values, string prefix)
    {
        var matching = values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToList();
        return new CompleteResult
        {
            Completion = new Completion { Values = [.. matching.Take(MaxValues)], Total = matching.Count, HasMore = matching.Count > MaxValues },
        };
    }
}
