using System.Globalization;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>Functions: the filtered, state-annotated list and the full configuration of one.</summary>
public sealed class FunctionService(LambdaClients clients, TimeProvider time)
{
    private const int PageSize = 50;

    // A filter that matches little must not scan a huge account in one call: after this many pages the tool
    // returns what it found with a cursor to scan on.
    private const int MaxScanPages = 40;

    /// <summary>
    /// One page of functions in service order, filtered by name substring and runtime prefix, each with its state
    /// (looked up per row, since ListFunctions leaves it out), problems first within the page.
    /// </summary>
    public async Task<string> ListAsync(PluginContext context, string? name, string? runtime, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lambda = clients.For(context).Lambda;
        var scope = $"lambda_function_list|{context.Instance.Id}|{name}|{runtime}";
        var scan = await ScanAsync(lambda, ReadPosition(Paging.Decode(page.Cursor, scope)), f => Matches(f, name, runtime), page.Limit,
            cancellationToken).ConfigureAwait(false);

        var states = await FunctionText.ConfigurationsAsync(lambda, scan.Found.Select(f => f.FunctionName ?? ""), cancellationToken).ConfigureAwait(false);
        var rows = scan.Found
            .Select(f => states.GetValueOrDefault(f.FunctionName ?? "") is { Config: { } full } ? new Row(full, null)
                : new Row(f, states.GetValueOrDefault(f.FunctionName ?? "").Error ?? "not read"))
            .OrderBy(r => r.Error is null ? FunctionText.Rank(r.Config) : 4).ThenBy(r => r.Config.FunctionName, StringComparer.Ordinal).ToList();

        var now = time.GetUtcNow();
        var table = new TextTable("name", "runtime", "mem", "timeout", "code", "modified", "state");
        foreach (var (c, error) in rows)
        {
            table.Row(c.FunctionName, FunctionText.Runtime(c), FunctionText.N(c.MemorySize), c.Timeout is { } t ? $"{t}s" : null,
                c.CodeSize is > 0 ? Fmt.Bytes(c.CodeSize.Value) : null, Fmt.Age(c.LastModifiedTime, now),
                error is null ? FunctionText.State(c) : $"unknown ({error})");
        }

        var filters = string.Join(", ", new[] { name is null ? null : $"name~{name}", runtime is null ? null : $"runtime {runtime}" }.Where(f => f is not null));
        var counts = rows.Where(r => r.Error is null).GroupBy(r => r.Config.State ?? "unknown")
            .OrderBy(g => g.Min(r => FunctionText.Rank(r.Config))).Select(g => new KeyValuePair<string, int>(g.Key, g.Count()));
        // Counts cover every match; states are read per function, so their breakdown covers the rows shown.
        var header = $"functions{(filters.Length > 0 ? $" ({filters})" : "")}: {scan.Total ?? rows.Count}";
        if (rows.Count > 0) header += scan.Total == rows.Count ? $" ({Fmt.Counts(counts)})" : $" (shown: {Fmt.Counts(counts)})";
        if (rows.Count == 0 && scan.Next is null) header += filters.Length > 0 ? "; none match, try a shorter name or no runtime filter" : " in this region";
        var output = new ToolOutput().Line(header).Table(table);
        if (scan.StoppedEarly) output.Line($"(searched {scan.Scanned} functions; the rest not yet)");
        return output.Page(rows.Count, scan.Total, scan.Next is null ? null : Paging.Encode(scope, scan.Next), page).ToString();
    }

    /// <summary>The full configuration of one function, environment values marked sensitive; never the code URL.</summary>
    public async Task<string> GetAsync(PluginContext context, string function, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await clients.For(context).Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = Require(function) }, cancellationToken)
            .ConfigureAwait(false);
        var c = response.Configuration ?? throw new ToolException($"Lambda returned no configuration for '{function}'. Retry, or check the name with lambda_function_list.");
        var now = time.GetUtcNow();
        var state = c.State + (c.State != "Active" && c.StateReasonCode is { } code ? $" ({code})" : "");
        var update = c.LastUpdateStatus + (c.LastUpdateStatus == "Failed" && c.LastUpdateStatusReasonCode is { } updateCode ? $" ({updateCode})" : "");
        var output = new ToolOutput().Line($"{c.FunctionName} ({c.Version}): {state}; last update {update}");
        if (c.State != "Active" && c.StateReason is { } why) output.Field("state reason", why);
        if (c.LastUpdateStatus is "Failed" && c.LastUpdateStatusReason is { } updateWhy) output.Field("last update failed", updateWhy);
        output.Field("arn", c.FunctionArn)
            .Field("runtime", c.PackageType == "Image" ? null : $"{c.Runtime} on {Architecture(c)}{(c.Handler is { } h ? $", handler {h}" : "")}")
            .Field("image", c.PackageType == "Image" ? $"{response.Code?.ImageUri} on {Architecture(c)}" : null)
            .Field("memory", $"{c.MemorySize} MB, timeout {c.Timeout} s, /tmp {c.EphemeralStorage?.Size ?? 512} MB")
            .Field("code", c.CodeSize is > 0 ? $"{Fmt.Bytes(c.CodeSize.Value)}, sha256 {c.CodeSha256}" : null)
            .Field("modified", c.LastModifiedTime is { } m ? $"{Fmt.Time(m)} ({Fmt.Age(m, now)} ago)" : c.LastModified)
            .Field("description", c.Description)
            .Field("role", c.Role)
            .Field("reserved concurrency", response.Concurrency?.ReservedConcurrentExecutions)
            .Field("vpc", c.VpcConfig is { VpcId.Length: > 0 } vpc
                ? $"{vpc.VpcId}; subnets {string.Join(", ", vpc.SubnetIds ?? [])}; security groups {string.Join(", ", vpc.SecurityGroupIds ?? [])}"
                : null)
            .Field("layers", c.Layers?.Select(l => l.Arn ?? "").ToList())
            .Field("tracing", c.TracingConfig?.Mode == "Active" ? "X-Ray Active" : c.TracingConfig?.Mode)
            .Field("logs", $"{FunctionText.LogGroup(c)} ({c.LoggingConfig?.LogFormat ?? "Text"})")
            .Field("dead-letter", c.DeadLetterConfig?.TargetArn)
            .Field("snapstart", c.SnapStart?.ApplyOn is { } on and not "None" ? on : null)
            .Field("kms key", c.KMSKeyArn)
            .Field("revision", c.RevisionId);
        if (c.Environment?.Variables is { Count: > 0 } variables)
        {
            // Names always; values only through the redaction step (shown with --allow-sensitive-data).
            output.Field($"environment ({variables.Count})",
                string.Join(", ", variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={Redactor.Sensitive(v.Value)}")));
        }
        if (c.Environment?.Error is { } envError) output.Field("environment error", $"{envError.ErrorCode}: {envError.Message}");
        if (response.Tags is { Count: > 0 } tags)
            output.Field("tags", string.Join(", ", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")));
        return output.ToString();
    }

    /// <summary>
    /// Walks Lambda's listing (50 per page) from a position, keeping the first <paramref name="limit"/> matches; the
    /// next position is the match after them, or where the page budget ran out.
    /// </summary>
    /// <summary>
    /// The page's matches from a position, and the count of every match (the ones before the position, carried in the
    /// cursor, plus the rest of the listing, read to its end within the scan budget), so that headers count everything.
    /// </summary>
    private static async Task<ScanResult> ScanAsync(ILambdaClient lambda, (string? Marker, int Skip, int Before) from, Func<FunctionConfiguration, bool> matches,
        int limit, CancellationToken cancellationToken)
    {
        var (marker, skip, before) = from;
        var found = new List<FunctionConfiguration>();
        var scanned = 0;
        var matched = 0;
        string? next = null;
        for (var pages = 1; ; pages++)
        {
            var response = await lambda.ListFunctionsAsync(new ListFunctionsRequest { Marker = marker, MaxItems = PageSize }, cancellationToken).ConfigureAwait(false);
            var items = response.Functions ?? [];
            for (var i = skip; i < items.Count; i++)
            {
                scanned++;
                if (!matches(items[i])) continue;
                matched++;
                if (found.Count == limit)
                {
                    next ??= Position(marker, i, before + limit);
                    continue;
                }

                found.Add(items[i]);
            }
            skip = 0;
            if (string.IsNullOrEmpty(response.NextMarker)) return new ScanResult(found, next, scanned, false, before + matched);
            marker = response.NextMarker;
            if (pages >= MaxScanPages) return new ScanResult(found, next ?? Position(marker, 0, before + found.Count), scanned, true, null);
        }
    }

    private static string Architecture(FunctionConfiguration c) => c.Architectures?.FirstOrDefault() ?? "x86_64";

    /// <summary>A function name argument, trimmed; blank is an error that says what to pass.</summary>
    internal static string Require(string? function) => string.IsNullOrWhiteSpace(function)
        ? throw new ToolException("function is required: a name (orders-api), name:alias (orders-api:live) or ARN. lambda_function_list shows them.")
        : function.Trim();

    private static bool Matches(FunctionConfiguration f, string? name, string? runtime) =>
        ToolParams.NameMatches(f.FunctionName, name) && ToolParams.NameMatches(f.Runtime ?? (f.PackageType == "Image" ? "image" : ""), runtime);

    // A position in Lambda's listing: the marker of a page, how many of its items were already read, and how many
    // matches came before it (so that later pages still count everything).
    private static string Position(string? marker, int skip, int before) =>
        $"{skip.ToString(CultureInfo.InvariantCulture)}|{before.ToString(CultureInfo.InvariantCulture)}|{marker}";

    private static (string? Marker, int Skip, int Before) ReadPosition(string? value)
    {
        if (value is null) return (null, 0, 0);
        var parts = value.Split('|', 3);
        return parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            ? (parts[2].Length == 0 ? null : parts[2], skip, before)
            : throw new ToolException("This cursor is damaged. Call lambda_function_list again without cursor.");
    }

    /// <param name="Total">Every match of the listing, or null when the scan budget ran out before its end.</param>
    private sealed record ScanResult(List<FunctionConfiguration> Found, string? Next, int Scanned, bool StoppedEarly, int? Total);

    private readonly record struct Row(FunctionConfiguration Config, string? Error);
}
