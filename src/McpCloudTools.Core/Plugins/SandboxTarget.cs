namespace McpCloudTools.Core.Plugins;

/// <summary>
/// The in-process sandbox that <c>--sandbox</c> starts, for plugins that do not go through the AWS layer (which has
/// its own forced endpoint): when this service is registered, every instance of such a plugin talks to it with
/// these credentials, whatever its config says, so that the sandbox's credentials never reach a real service.
/// </summary>
/// <param name="Endpoint">The sandbox's base address (one port serves every emulated service).</param>
/// <param name="SlurmUser">The user the sandbox's Slurm REST API accepts.</param>
/// <param name="SlurmToken">The token the sandbox's Slurm REST API accepts.</param>
public sealed record SandboxTarget(Uri Endpoint, string SlurmUser, string SlurmToken);
