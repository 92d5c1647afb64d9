using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Services;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda.Tools;

/// <summary>Account-level Lambda limits.</summary>
public sealed class AccountTools(PluginRouter<LambdaPlugin> router, AccountService account)
{
    /// <summary>Shows account settings.</summary>
    [McpServerTool(Name = "lambda_account_settings", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Concurrency and code storage: limits and usage.")]
    public async Task<string> Settings(
        [Description(ToolParams.Instance)] string? instance = null,
        CancellationToken cancellationToken = default)
    {
        var context = await router.InstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return await account.SettingsAsync(context, cancellationToken).ConfigureAwait(false);
    }
}
