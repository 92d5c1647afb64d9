using McpCloudTools.Sandbox.Services.Logs;
using McpCloudTools.Sandbox.Services.Sts;

namespace McpCloudTools.Sandbox;

/// <summary>The composition root of the sandbox: every emulated service, one line each.</summary>
internal static class SandboxServices
{
    public static ISandboxService[] Create(SandboxContext context) =>
    [
        new StsService(context),
        new LogsService(context),
        new Services.Lambda.LambdaService(context),
    ];
}
