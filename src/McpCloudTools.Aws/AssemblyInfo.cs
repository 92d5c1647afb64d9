namespace McpCloudTools.Aws;
