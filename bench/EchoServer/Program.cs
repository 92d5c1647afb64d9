using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

// An MCP server on the same SDK as McpCloudTools with one tool and nothing else: what the SDK alone costs to start.
// Its JIT build keeps a start profile where the benchmark says, as ours does (JitStartProfile), so that the floor
// it shows is the same kind of start.
if (Environment.GetEnvironmentVariable("MCPCLOUDTOOLS_JIT_PROFILE") is { Length: > 0 } folder && folder != "off")
{
    Directory.CreateDirectory(folder);
    System.Runtime.ProfileOptimization.SetProfileRoot(folder);
    System.Runtime.ProfileOptimization.StartProfile("mcp-echo-server.jitprofile");
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "mcp-echo-server", Version = "1.0.0" })
    .WithStdioServerTransport()
    .WithTools<EchoTool>();
await builder.Build().RunAsync();

/// <summary>The one tool.</summary>
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Returns the message it is given.")]
    public static string Echo([Description("Any text.")] string message) => message;
}
