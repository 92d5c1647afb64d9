using System.Globalization;
using McpCloudTools.Aws;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>What hangs off a function: versions, aliases (with routing weights) and event source mappings.</summary>
public sealed class RelationsService(LambdaClients clients, TimeProvider time)
{
    private static readonly PageLimits ReadAll = new(MaxItems: null, MaxPages: 20);

    /// <summary>Versions, newest first after <c>$LATEST</c>, with the aliases that point at each.</summary>
    public async Task<string> VersionsAsync(PluginContext context, string function, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = FunctionService.Require(function);
        var lambda = clients.For(context).Lambda;
        var versionsTask = lambda.ListAllVersionsAsync(name, ReadAll, cancellationToken);
        var aliasesTask = lambda.ListAllAliasesAsync(name, ReadAll, cancellationToken);
        var (versions, aliases) = (await versionsTask.ConfigureAwait(false), await aliasesTask.ConfigureAwait(false));

        var pointers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var alias in aliases.Items)
        {
            var extra = alias.RoutingConfig?.AdditionalVersionWeights ?? [];
            var primaryShare = 1 - extra.Values.Sum();
            Add(alias.FunctionVersion, extra.Count > 0 ? $"{alias.Name} {Percent(primaryShare)}" : alias.Name);
            foreach (var (version, weight) in extra) Add(version, $"{alias.Name} {Percent(weight)}");
        }
        void Add(string? version, string? label)
        {
            if (version is null || label is null) return;
            if (!pointers.TryGetValue(version, out var list)) pointers[version] = list = [];
            list.Add(label);
        }

        var ordered = versions.Items.OrderBy(v => v.Version == "$LATEST" ? 0 : 1)
            .ThenByDescending(v => long.TryParse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"lambda_version_list|{context.Instance.Id}|{name}");
        var now = time.GetUtcNow();
        var table = new TextTable("version", "aliases", "modified", "code", "mem", "timeout", "runtime", "description");
        foreach (var v in items)
        {
            table.Row(v.Version, pointers.TryGetValue(v.Version ?? "", out var labels) ? string.Join(", ", labels) : null,
                Fmt.Age(v.LastModifiedTime, now), v.CodeSize is > 0 ? Fmt.Bytes(v.CodeSize.Value) : null, FunctionText.N(v.MemorySize),
                v.Timeout is { } t ? $"{t}s" : null, FunctionText.Runtime(v), v.Description);
        }
        var published = ordered.Count(v => v.Version != "$LATEST");
        var output = new ToolOutput().Line($"{name}: {published} published version{(published == 1 ? "" : "s")} + $LATEST"
            + (versions.IsTruncated ? $" (first {ordered.Count} read)" : "")).Table(table);
        return output.Page(items.Count, ordered.Count, next, page).ToString();
    }

    /// <summary>Aliases with their primary version and weighted routing.</summary>
    public async Task<string> AliasesAsync(PluginContext context, string function, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = FunctionService.Require(function);
        var aliases = await clients.For(context).Lambda.ListAllAliasesAsync(name, ReadAll, cancellationToken).ConfigureAwait(false);
        var ordered = aliases.Items.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"lambda_alias_list|{context.Instance.Id}|{name}");
        var table = new TextTable("name", "version", "routing", "description");
        foreach (var a in items)
        {
            var extra = a.RoutingConfig?.AdditionalVersionWeights ?? [];
            var routing = extra.Count == 0 ? null
                : string.Join(", ", new[] { $"{a.FunctionVersion} {Percent(1 - extra.Values.Sum())}" }
                    .Concat(extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {Percent(e.Value)}")));
            table.Row(a.Name, a.FunctionVersion, routing, a.Description);
        }
        var weighted = ordered.Count(a => a.RoutingConfig?.AdditionalVersionWeights is { Count: > 0 });
        var header = $"{name}: {ordered.Count} alias{(ordered.Count == 1 ? "" : "es")}" + (weighted > 0 ? $", {weighted} with weighted routing" : "")
            + (ordered.Count == 0 ? " (invoke versions directly, or create one with aws lambda create-alias)" : "");
        return new ToolOutput().Line(header).Table(table).Page(items.Count, ordered.Count, next, page).ToString();
    }

    /// <summary>Event source mappings (all, or one function's), failing ones first, with state and last processing result.</summary>
    public async Task<string> EventSourcesAsync(PluginContext context, string? function, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = string.IsNullOrWhiteSpace(function) ? null : function.Trim();
        var mappings = await clients.For(context).Lambda.ListAllEventSourceMappingsAsync(name, ReadAll, cancellationToken).ConfigureAwait(false);
        var ordered = mappings.Items.OrderBy(Rank).ThenBy(m => FunctionText.FunctionNameOf(m.FunctionArn), StringComparer.Ordinal)
            .ThenBy(m => m.EventSourceArn, StringComparer.Ordinal).ToList();
        var (items, next) = Paging.Slice(ordered, page, $"lambda_event_source_list|{context.Instance.Id}|{name}");
        var table = new TextTable("uuid", "function", "source", "state", "last result", "batch");
        foreach (var m in items)
        {
            table.Row(m.UUID, FunctionText.FunctionNameOf(m.FunctionArn), FunctionText.Source(m.EventSourceArn), m.State,
                m.LastProcessingResult, FunctionText.N(m.BatchSize));
        }
        var failing = ordered.Count(m => Rank(m) == 0);
        var states = ordered.GroupBy(m => m.State ?? "unknown").OrderBy(g => g.Key == "Enabled" ? 1 : 0)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()));
        var header = $"event source mappings{(name is null ? "" : $" of {name}")}: {ordered.Count}"
            + (ordered.Count > 0 ? $" ({Fmt.Counts(states)})" : "") + (failing > 0 ? $"; {failing} with a failing last result" : "");
        var output = new ToolOutput().Line(header).Table(table);
        foreach (var m in items.Where(m => Rank(m) == 0 && m.DestinationConfig?.OnFailure?.Destination is not null))
            output.Line($"{m.UUID}: failed batches go to {m.DestinationConfig!.OnFailure!.Destination}");
        return output.Page(items.Count, ordered.Count, next, page).ToString();
    }

    private static int Rank(EventSourceMappingConfiguration m) =>
        m.LastProcessingResult?.StartsWith("PROBLEM", StringComparison.OrdinalIgnoreCase) == true ? 0 : m.State == "Enabled" ? 2 : 1;

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
