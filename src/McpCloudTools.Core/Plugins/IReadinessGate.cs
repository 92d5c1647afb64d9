namespace McpCloudTools.Core.Plugins;

/// <summary>
/// Something plugin instances must wait for before their first use, without delaying start-up or <c>tools/list</c>
/// (e.g. the in-process sandbox that <c>--sandbox</c> starts in the background). The router awaits every
/// registered gate before initialising an instance or running its health check.
/// </summary>
public interface IReadinessGate
{
    /// <summary>Completes when ready; throws a <see cref="ToolException"/> when it never will be.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}
