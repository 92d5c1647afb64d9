using System.Text.RegularExpressions;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>What an update asks for; null members stay as they are.</summary>
/// <param name="Memory">Memory in MB (128–10240).</param>
/// <param name="Timeout">Timeout in seconds (1–900).</param>
/// <param name="Description">Description (≤ 256 chars).</param>
/// <param name="Environment">Variables to set; a null value removes the variable. Merged into the current set.</param>
public sealed record ConfigChange(int? Memory, int? Timeout, string? Description, IReadOnlyDictionary<string, string?>? Environment);

/// <summary>
/// Updates a function's configuration safely: reads it, shows what will change (before → after), and sends the
/// update with the RevisionId it read (or the one the caller read earlier), so a concurrent change is reported,
/// never overwritten. Environment values in the diff are marked sensitive.
/// </summary>
public sealed partial class ConfigUpdateService(LambdaClients clients)
{
    /// <summary>Applies (or with <paramref name="dryRun"/> only shows) <paramref name="change"/>.</summary>
    public async Task<string> UpdateAsync(PluginContext context, string function, ConfigChange change, string? revisionId, bool dryRun,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(change);
        var name = FunctionService.Require(function);
        Validate(name, change);
        var lambda = clients.For(context).Lambda;
        var current = await lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = name }, cancellationToken).ConfigureAwait(false);
        var (diff, environment) = Diff(current, change);
        var fn = current.FunctionName ?? name;
        if (diff.Count == 0)
            return $"{fn}: nothing to change, the values are already set (revision {current.RevisionId}).";
        if (dryRun)
            return Render($"{fn}: would change (dry run, nothing sent; revision {current.RevisionId}):", diff);

        var expected = string.IsNullOrWhiteSpace(revisionId) ? current.RevisionId : revisionId.Trim();
        FunctionConfiguration updated;
        try
        {
            updated = await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest
            {
                FunctionName = fn, MemorySize = change.Memory, Timeout = change.Timeout, Description = change.Description,
                Environment = environment is null ? null : new Client.Environment { Variables = environment }, RevisionId = expected,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "PreconditionFailedException")
        {
            throw new ToolException($"Not applied: {fn} changed since revision {expected} (it is now at {current.RevisionId}"
                + (expected == current.RevisionId ? " or later" : "") + "); someone else updated it and their change was kept. "
                + "Read it again with lambda_function_get, then retry with the new values in mind.", e);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ResourceConflictException")
        {
            throw new ToolException($"Not applied: {fn} has an update in progress (last update status {current.LastUpdateStatus}). "
                + "Wait until lambda_function_get shows it Successful (usually seconds), then retry.", e);
        }
        return Render($"{fn}: updated (revision {current.RevisionId} → {updated.RevisionId}); last update status {updated.LastUpdateStatus}"
            + (updated.LastUpdateStatus == "InProgress" ? ", lambda_function_get shows when it is done" : "") + ":", diff);
    }

    /// <summary>The lines that describe the change, and the merged environment when it changes (else null).</summary>
    internal static (List<string> Lines, Dictionary<string, string>? Environment) Diff(FunctionConfiguration current, ConfigChange change)
    {
        var lines = new List<string>();
        if (change.Memory is { } memory && memory != current.MemorySize) lines.Add($"memory: {current.MemorySize} → {memory} MB");
        if (change.Timeout is { } timeout && timeout != current.Timeout) lines.Add($"timeout: {current.Timeout} → {timeout} s");
        if (change.Description is { } description && description != (current.Description ?? ""))
            lines.Add($"description: \"{current.Description}\" → \"{description}\"");
        if (change.Environment is not { Count: > 0 } requested) return (lines, null);
        if (current.Environment?.Error is { } unreadable)
        {
            // Lambda replaces the whole set: merging into variables we could not read would erase them.
            throw new ToolException($"The environment variables of {current.FunctionName} cannot be read ({unreadable.ErrorCode}: "
                + $"{unreadable.Message}), so they cannot be merged safely; fix the KMS access first, or change only memory, timeout or description.");
        }

        var before = current.Environment?.Variables ?? [];
        var after = new Dictionary<string, string>(before, StringComparer.Ordinal);
        foreach (var (key, value) in requested.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var had = before.TryGetValue(key, out var old);
            if (value is null)
            {
                if (!had) continue;
                after.Remove(key);
                lines.Add($"env {key}: removed");
            }
            else if (!had)
            {
                after[key] = value;
                lines.Add($"env {key}: added ({Redactor.Sensitive(value)})");
            }
            else if (old != value)
            {
                after[key] = value;
                lines.Add($"env {key}: {Redactor.Sensitive(old)} → {Redactor.Sensitive(value)}");
            }
        }
        var changed = after.Count != before.Count || after.Any(v => !before.TryGetValue(v.Key, out var b) || b != v.Value);
        return (lines, changed ? after : null);
    }

    private static string Render(string title, List<string> diff)
    {
        var output = new ToolOutput().Line(title);
        foreach (var line in diff) output.Line("  " + line);
        return output.ToString();
    }

    private static void Validate(string name, ConfigChange change)
    {
        if (IsQualified(name))
            throw new ToolException($"'{name}' names a version or alias; configuration changes apply to $LATEST. Pass the function name without the qualifier.");
        if (change is { Memory: null, Timeout: null, Description: null } && change.Environment is not { Count: > 0 })
            throw new ToolException("Nothing to change: pass memory (MB), timeout (s), description or environment.");
        if (change.Memory is < 128 or > 10240)
            throw new ToolException($"memory {change.Memory} MB is out of range: Lambda accepts 128 to 10240 MB.");
        if (change.Timeout is < 1 or > 900)
            throw new ToolException($"timeout {change.Timeout} s is out of range: Lambda accepts 1 to 900 seconds.");
        if (change.Description is { Length: > 256 })
            throw new ToolException($"description is {change.Description.Length} characters; Lambda accepts at most 256.");
        if (change.Environment?.Keys.FirstOrDefault(k => !VariableName().IsMatch(k)) is { } bad)
            throw new ToolException($"environment variable name '{bad}' is not valid: start with a letter, then letters, digits or _ (at least 2 characters).");
    }

    // name:alias, account:function:name:alias and arn:…:function:name:alias carry a qualifier; plain forms do not.
    private static bool IsQualified(string name)
    {
        var parts = name.Split(':');
        return name.StartsWith("arn:", StringComparison.Ordinal) ? parts.Length > 7
            : parts.Length >= 3 && parts[1] == "function" ? parts.Length > 3
            : parts.Length > 1;
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]+$")]
    private static partial Regex VariableName();
}
