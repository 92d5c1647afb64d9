namespace McpCloudTools.Sandbox;
