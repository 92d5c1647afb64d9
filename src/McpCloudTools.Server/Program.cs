using McpCloudTools.Server;

JitStartProfile.StartWhenServing(args);
return await CloudToolsApp.RunAsync(args, PluginSet.AddAll).ConfigureAwait(false);
