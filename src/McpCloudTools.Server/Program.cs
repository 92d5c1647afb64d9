using McpCloudTools.Server;

return await CloudToolsApp.RunAsync(args, PluginSet.AddAll).ConfigureAwait(false);
