using McpCloudTools.Sandbox.Services.Batch;
using McpCloudTools.Sandbox.Services.Ec2;
using McpCloudTools.Sandbox.Services.Eks;
using McpCloudTools.Sandbox.Services.Lambda;
using McpCloudTools.Sandbox.Services.Slurm;
using McpCloudTools.Sandbox.Services.Logs;
using McpCloudTools.Sandbox.Services.Sts;

namespace McpCloudTools.Sandbox;

/// <summary>The composition root of the sandbox: every emulated service of a region, one line each (Slurm, not an AWS service, lives in the default region only).</summary>
internal static class SandboxServices
{
    public static ISandboxService[] Create(SandboxContext context) =>
    [
        new StsService(context),
        new LogsService(context),
        new Ec2Service(context),
        new BatchService(context),
        new EksService(context),
        new LambdaService(context),
        .. context.IsDefaultRegion ? [new SlurmService(context)] : Array.Empty<ISandboxService>(),
    ];
}
