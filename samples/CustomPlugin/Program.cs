using CustomPlugin;
using McpCloudTools.Core;
using McpCloudTools.Server;

// Faster starts after the first, as the product's own entry point does (README "Performance").
JitStartProfile.StartWhenServing(args);

// The product's plugins plus one of our own: the one line that adds a plugin.
return await CloudToolsApp.RunAsync(args, services =>
{
    PluginSet.AddAll(services);
    services.AddPlugin<LogsPlugin>();
}).ConfigureAwait(false);
