using System.ComponentModel;
using System.Text.Json;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Plugins.Lambda.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda.Tools;

/// <summary>Functions: list, configuration, logs, invoke and configuration changes.</summary>
public sealed class FunctionTools(PluginRouter<LambdaPlugin> router, FunctionService functions, FunctionLogService logs, InvokeService invoker,
    ConfigUpdateService updater)
{
    internal const string Function = "Name, name:alias or ARN";

    /// <summary>Lists functions.</summary>
    [McpServerTool(Name = "lambda_function_list", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Functions with runtime, memory, timeout, code size, age and state; problems first.")]
    public async Task<string> List(
        [Description(ToolParams.NameFilter), LambdaName(LambdaName.NameFilter)] string? name = null,
        [Description("Runtime or image. " + ToolParams.NameFilter), LambdaName(LambdaName.RuntimeFilter)] string? runtime = null,
        [Description(ToolParams.Limit)] int? limit = null,
        [Description(ToolParams.Cursor)] string? cursor = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var page = Paging.Read(limit, cursor, defaultLimit: 50, max: 50);
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await functions.ListAsync(context, Blank(name), Blank(runtime), page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shows one function.</summary>
    [McpServerTool(Name = "lambda_function_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("One function: configuration, state, tags, env var names (values need --allow-sensitive-data).")]
    public async Task<string> Get(
        [Description(Function), LambdaName(LambdaName.Function)] string function,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await functions.GetAsync(context, function, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a function's logs.</summary>
    [McpServerTool(Name = "lambda_function_logs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Recent log lines of a function, counting errors and timeouts.")]
    public async Task<string> Logs(
        [Description(Function), LambdaName(LambdaName.Function)] string function,
        [Description("15m, 2h, ISO time; default 1h"), Text(64)] string? since = null,
        [Description("CloudWatch filter pattern"), Text(1024, Subject = "a CloudWatch Logs filter pattern")] string? filter = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await logs.LogsAsync(context, function, since, filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Invokes a function.</summary>
    [McpServerTool(Name = "lambda_function_invoke", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Run a function: status, function error, payload, log tail. Event queues it; DryRun only checks.")]
    public async Task<string> Invoke(
        [Description(Function), LambdaName(LambdaName.Function)] string function,
        [Description("JSON event: object or JSON text")] JsonElement? payload = null,
        [Description("RequestResponse|Event|DryRun"), Text(32)] string? invocation_type = null,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await invoker.InvokeAsync(context, function, payload, invocation_type, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a function's configuration.</summary>
    [McpServerTool(Name = "lambda_function_update_config", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true), SensitiveData]
    [Description("Set memory, timeout, description, env (merged). Shows old and new values; refused if changed since the revision.")]
    public async Task<string> UpdateConfig(
        [Description("Function name"), LambdaName(LambdaName.Function)] string function,
        [Description("MB, 128-10240")] int? memory = null,
        [Description("Seconds, 1-900")] int? timeout = null,
        [Description("New description"), Text(256, Multiline = true, Subject = "a function description")] string? description = null,
        [Description("Vars to set; null removes"), Text(4096, Multiline = true, Subject = "an environment value")] Dictionary<string, string?>? environment = null,
        [Description("From lambda_function_get"), Text(128, Subject = "a revision id")] string? revision_id = null,
        [Description(ToolParams.DryRun)] bool dry_run = false,
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await updater.UpdateAsync(context, function, new ConfigChange(memory, timeout, description, environment), revision_id, dry_run,
            cancellationToken).ConfigureAwait(false);
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
