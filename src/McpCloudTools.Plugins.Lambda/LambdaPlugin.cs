using McpCloudTools.Aws;
using System.Text.Json.Serialization;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Services;
using McpCloudTools.Plugins.Lambda.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda;

/// <summary>AWS Lambda: functions, versions, aliases, event sources, account limits, logs; invoke and configuration changes as write tools.</summary>
public sealed class LambdaPlugin : PluginBase
{
    /// <summary>The plugin type and tool prefix.</summary>
    public const string Type = "lambda";

    /// <inheritdoc />
    public override PluginInfo Info { get; } = new(Type, "AWS Lambda",
        "Lambda functions of one account and region: configuration and state, versions, aliases, event sources, limits, logs; "
        + "invoke and configuration changes with --allow-write. Not for deploying code or creating functions.", "λ", "1.0.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => AwsSettings.ConfigKeys;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => AwsSettings.ParseValid(config);

    /// <inheritdoc />
    public override JsonSerializerContext JsonContext => LambdaJsonContext.Default;

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<LambdaClients>();
        services.AddSingleton<FunctionService>();
        services.AddSingleton<FunctionLogService>();
        services.AddSingleton<InvokeService>();
        services.AddSingleton<ConfigUpdateService>();
        services.AddSingleton<RelationsService>();
        services.AddSingleton<AccountService>();
    }

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) =>
    [
        .. tools.From<FunctionTools>(), .. tools.From<VersionTools>(), .. tools.From<AliasTools>(),
        .. tools.From<EventSourceTools>(), .. tools.From<AccountTools>(),
    ];

    /// <inheritdoc />
    public override IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => prompts.From<Prompts.LambdaPrompts>();

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
        [new("functions/{function}", "function", "A Lambda function: runtime, memory, timeout, state, last update (lambda_function_get).", "lambda_function_get")];

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken) =>
        argument == "function" ? await Account(context).FunctionNamesAsync(context, cancellationToken).ConfigureAwait(false) : null;

    /// <inheritdoc />
    public override Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken) =>
        Account(context).HealthAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Account(context).SummaryAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<IReadOnlyList<PluginResource>> GetResourcesAsync(PluginContext context, CancellationToken cancellationToken) =>
        Account(context).ResourcesAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken) =>
        Account(context).ReadResourceAsync(context, uri, cancellationToken);

    private static AccountService Account(PluginContext context) => context.Services.GetRequiredService<AccountService>();
}
