Console.Error.WriteLine("mcp-cloud-tools");
