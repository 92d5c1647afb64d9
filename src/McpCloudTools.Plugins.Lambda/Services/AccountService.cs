using System.Globalization;
using McpCloudTools.Aws;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>Account-level views: limits and usage, the health check, the status summary and the function resources.</summary>
public sealed class AccountService(LambdaClients clients, FunctionService functions)
{
    // The summary and the resource list read at most this many functions, and look up state for at most StateSample.
    private static readonly PageLimits SummaryLimits = new(MaxItems: 1000, MaxPages: 20);
    private const int StateSample = 100;
    private const int MaxResources = 100;

    /// <summary>Concurrency and code-storage limits with what is used.</summary>
    public async Task<string> SettingsAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = clients.For(context);
        var settings = await c.Lambda.GetAccountSettingsAsync(new GetAccountSettingsRequest(), cancellationToken).ConfigureAwait(false);
        var limit = settings.AccountLimit ?? new AccountLimit();
        var usage = settings.AccountUsage ?? new AccountUsage();
        var reserved = limit.ConcurrentExecutions - limit.UnreservedConcurrentExecutions;
        var output = new ToolOutput().Line($"lambda account settings in {c.Context.Region.SystemName}:");
        output.Field("concurrency", $"{limit.ConcurrentExecutions} concurrent executions, {limit.UnreservedConcurrentExecutions} unreserved"
            + (reserved > 0 ? $" ({reserved} reserved by functions)" : ""));
        if (limit.UnreservedConcurrentExecutions is < 100)
            output.Line("warning: under 100 unreserved executions; functions without a reservation will be throttled sooner.");
        if (usage.TotalCodeSize is { } used && limit.TotalCodeSize is > 0 and var total)
            output.Field("code storage", string.Create(CultureInfo.InvariantCulture, $"{Fmt.Bytes(used)} of {Fmt.Bytes(total)} used ({100.0 * used / total:0.##}%)"));
        output.Field("functions", usage.FunctionCount);
        if (limit.CodeSizeZipped is { } zipped && limit.CodeSizeUnzipped is { } unzipped)
            output.Field("package limits", $"{Fmt.Bytes(zipped)} zipped upload, {Fmt.Bytes(unzipped)} unzipped");
        return output.ToString();
    }

    /// <summary>One cheap call (GetAccountSettings).</summary>
    public async Task<HealthReport> HealthAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = clients.For(context);
        var settings = await c.Lambda.GetAccountSettingsAsync(new GetAccountSettingsRequest(), cancellationToken).ConfigureAwait(false);
        var region = c.Context.Region.SystemName;
        return HealthReport.Healthy($"Lambda reachable in {region}: {settings.AccountUsage?.FunctionCount ?? 0} functions, "
            + $"{settings.AccountLimit?.UnreservedConcurrentExecutions} of {settings.AccountLimit?.ConcurrentExecutions} concurrency unreserved",
            new Dictionary<string, string> { ["region"] = region, ["identity"] = c.Context.IdentityDescription });
    }

    /// <summary>Functions by state (problems first; state read for up to 100) and by runtime.</summary>
    public async Task<StatusSummary> SummaryAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lambda = clients.For(context).Lambda;
        var all = await lambda.ListAllFunctionsAsync(SummaryLimits, cancellationToken).ConfigureAwait(false);
        var sample = all.Items.Take(StateSample).Select(f => f.FunctionName ?? "").ToList();
        var states = await FunctionText.ConfigurationsAsync(lambda, sample, cancellationToken).ConfigureAwait(false);
        var byState = states.Values.Where(s => s.Config is not null).GroupBy(s => s.Config!.State ?? "unknown")
            .OrderBy(g => g.Min(s => FunctionText.Rank(s.Config!))).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var byRuntime = all.Items.GroupBy(f => FunctionText.Runtime(f).Split('/')[0] is { Length: > 0 } r ? r : "unknown")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var g in byState) counts[g.Key.ToLowerInvariant()] = g.Count();
        foreach (var g in byRuntime) counts["runtime " + g.Key] = g.Count();
        var total = $"{all.Items.Count}{(all.IsTruncated ? "+" : "")} functions";
        var stateText = Fmt.Counts(byState.Select(g => new KeyValuePair<string, int>(g.Key, g.Count())));
        var sampled = all.Items.Count > StateSample ? $" (state of the first {StateSample})" : "";
        var text = $"{total}: {(stateText.Length > 0 ? stateText : "none")}{sampled}; runtimes: "
            + Fmt.Counts(byRuntime.Take(6).Select(g => new KeyValuePair<string, int>(g.Key, g.Count())));
        return new StatusSummary(text, counts);
    }

    /// <summary>Functions as resources: <c>lambda://&lt;instance&gt;/functions/&lt;name&gt;</c>.</summary>
    public async Task<IReadOnlyList<PluginResource>> ResourcesAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await clients.For(context).Lambda.ListAllFunctionsAsync(new PageLimits(MaxResources, 2), cancellationToken).ConfigureAwait(false);
        return [.. all.Items.Take(MaxResources).Select(f => new PluginResource(ResourceUri(context, f.FunctionName ?? ""), f.FunctionName ?? "",
            $"Lambda function: {FunctionText.Runtime(f)}, {f.MemorySize} MB, timeout {f.Timeout} s"))];
    }

    /// <summary>Function names, for completion.</summary>
    public async Task<IReadOnlyList<string>> FunctionNamesAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var all = await clients.For(context).Lambda.ListAllFunctionsAsync(new PageLimits(1000, 20), cancellationToken).ConfigureAwait(false);
        return [.. all.Items.Select(f => f.FunctionName ?? "").Where(n => n.Length > 0).Order(StringComparer.Ordinal)];
    }

    /// <summary>A function resource's text (as <c>lambda_function_get</c>), or null when the URI is not one of ours.</summary>
    public Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = ResourceUri(context, "");
        return uri.StartsWith(prefix, StringComparison.Ordinal) && uri.Length > prefix.Length
            ? ReadAsync()
            : Task.FromResult<string?>(null);

        async Task<string?> ReadAsync() =>
            await functions.GetAsync(context, LambdaNames.Function.Require(Uri.UnescapeDataString(uri[prefix.Length..]), "function in the resource URI"),
                cancellationToken).ConfigureAwait(false);
    }

    private static string ResourceUri(PluginContext context, string name) =>
        $"lambda://{context.Instance.Id}/functions/{Uri.EscapeDataString(name)}";
}
