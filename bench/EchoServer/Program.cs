using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// An MCP server on the same SDK as McpCloudTools with one tool and nothing else: what the SDK alone costs to start.
// With --all-capabilities it also has a prompt, a resource template, completions and logging: the protocol surface
// McpCloudTools advertises, whose handlers and JSON contracts the SDK sets up at start whatever the tools are.
// Its JIT build keeps a start profile where the benchmark says, as ours does (JitStartProfile), so that the floor
// it shows is the same kind of start.
if (Environment.GetEnvironmentVariable("MCPCLOUDTOOLS_JIT_PROFILE") is { Length: > 0 } folder && folder != "off")
{
    Directory.CreateDirectory(folder);
    System.Runtime.ProfileOptimization.SetProfileRoot(folder);
    System.Runtime.ProfileOptimization.StartProfile("mcp-echo-server.jitprofile");
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
var mcp = builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "mcp-echo-server", Version = "1.0.0" })
    .WithStdioServerTransport()
    .WithTools<EchoTool>();
if (args is ["--all-capabilities"])
{
#pragma warning disable MCP9005 // Logging is deprecated from MCP 2026-07-28; McpCloudTools still serves it to older clients.
    mcp.WithPrompts<EchoPrompt>()
        .WithResources<EchoResource>()
        .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult()))
        .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()));
#pragma warning restore MCP9005
}
else if (args.Length > 0)
{
    await Console.Error.WriteLineAsync("usage: mcp-echo-server [--all-capabilities]");
    return 2;
}

await builder.Build().RunAsync();
return 0;

/// <summary>The one tool.</summary>
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Returns the message it is given.")]
    public static string Echo([Description("Any text.")] string message) => message;
}

/// <summary>The one prompt (--all-capabilities).</summary>
internal sealed class EchoPrompt
{
    [McpServerPrompt(Name = "echo_prompt")]
    [Description("Asks to repeat a message.")]
    public static string Prompt([Description("Any text.")] string message) => $"Repeat: {message}";
}

/// <summary>The one resource template (--all-capabilities).</summary>
internal sealed class EchoResource
{
    [McpServerResource(UriTemplate = "echo://{message}", Name = "echo_message")]
    [Description("The message in the URI.")]
    public static string Read(string message) => message;
}
