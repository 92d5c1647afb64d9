using Amazon.EC2.Model;
using McpCloudTools.Aws;
using McpCloudTools.Core.Output;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;

namespace McpCloudTools.Plugins.Ec2.Services;

/// <summary>
/// Start, stop, reboot and terminate, each answered with the state transition EC2 reports. A dry run is EC2's own
/// <c>DryRun</c>: EC2 checks the ids and the caller's permissions and answers <c>DryRunOperation</c> (would
/// succeed) or <c>UnauthorizedOperation</c> (would be denied, and for whom); nothing changes either way.
/// </summary>
public sealed class ActionService(Ec2Clients clients)
{
    /// <summary>StartInstances.</summary>
    public Task<string> StartAsync(PluginContext context, IReadOnlyList<string> ids, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(context, "StartInstances", ids, dryRun, async (api, wanted, ct) =>
        {
            var request = new StartInstancesRequest { InstanceIds = wanted, DryRun = dryRun };
            var response = await api.CallAsync("StartInstances", request, (c, r, t) => c.StartInstancesAsync(r, t),
                InstanceService.Resource(wanted), InstanceService.NotFoundHint, ct).ConfigureAwait(false);
            return response.StartingInstances;
        }, "pending → running takes under a minute; ec2_instance_status shows the checks once running.", cancellationToken);

    /// <summary>StopInstances (optionally forced, for an instance stuck in stopping).</summary>
    public Task<string> StopAsync(PluginContext context, IReadOnlyList<string> ids, bool force, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(context, "StopInstances", ids, dryRun, async (api, wanted, ct) =>
        {
            var request = new StopInstancesRequest { InstanceIds = wanted, Force = force ? true : null, DryRun = dryRun };
            var response = await api.CallAsync("StopInstances", request, (c, r, t) => c.StopInstancesAsync(r, t),
                InstanceService.Resource(wanted), InstanceService.NotFoundHint, ct).ConfigureAwait(false);
            return response.StoppingInstances;
        }, "stopping → stopped takes about a minute; ec2_instance_list state=stopping,stopped follows it.", cancellationToken);

    /// <summary>TerminateInstances.</summary>
    public Task<string> TerminateAsync(PluginContext context, IReadOnlyList<string> ids, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(context, "TerminateInstances", ids, dryRun, async (api, wanted, ct) =>
        {
            var request = new TerminateInstancesRequest { InstanceIds = wanted, DryRun = dryRun };
            var response = await api.CallAsync("TerminateInstances", request, (c, r, t) => c.TerminateInstancesAsync(r, t),
                InstanceService.Resource(wanted), InstanceService.NotFoundHint, ct).ConfigureAwait(false);
            return response.TerminatingInstances;
        }, "shutting-down → terminated takes about a minute; terminated instances stay listed for about an hour.", cancellationToken);

    /// <summary>RebootInstances: EC2 answers no transition, so the states are read back after the request.</summary>
    public Task<string> RebootAsync(PluginContext context, IReadOnlyList<string> ids, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(context, "RebootInstances", ids, dryRun, async (api, wanted, ct) =>
        {
            var request = new RebootInstancesRequest { InstanceIds = wanted, DryRun = dryRun };
            await api.CallAsync("RebootInstances", request, (c, r, t) => c.RebootInstancesAsync(r, t),
                InstanceService.Resource(wanted), InstanceService.NotFoundHint, ct).ConfigureAwait(false);
            var instances = await InstanceService.DescribeInstancesAsync(api, wanted, ct).ConfigureAwait(false);
            // A reboot keeps the instance running; terminated ones are ignored by EC2.
            return [.. instances.Select(i => new InstanceStateChange
            {
                InstanceId = i.InstanceId, PreviousState = i.State, CurrentState = i.State,
            })];
        }, "a reboot keeps the state running (terminated instances are ignored); status checks initialise again for a few minutes.", cancellationToken);

    private async Task<string> ChangeAsync(PluginContext context, string operation, IReadOnlyList<string> ids, bool dryRun,
        Func<Ec2Api, List<string>, CancellationToken, Task<List<InstanceStateChange>?>> call, string followUp,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = InstanceService.CleanIds(ids);
        var api = clients.For(context);
        List<InstanceStateChange>? changes;
        try
        {
            changes = await call(api, wanted, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (dryRun && e.ErrorCode == Ec2Errors.DryRunOperation)
        {
            return $"Dry run: {operation} on {string.Join(", ", wanted)} would succeed (EC2 checked the ids and the permissions "
                + "and answered DryRunOperation). Nothing changed.";
        }
        catch (AwsServiceException e) when (dryRun && e.ErrorCode == Ec2Errors.UnauthorizedOperation)
        {
            return $"Dry run: {operation} would be DENIED. Nothing changed. {e.Message}";
        }

        var output = new ToolOutput();
        // AWS always answers a dry run with an error; an endpoint that does not (some emulators) really acted.
        if (dryRun) output.Line($"WARNING: the endpoint ignored DryRun and ran {operation} for real.");
        output.Line($"{operation}: {wanted.Count} instance{(wanted.Count == 1 ? "" : "s")}");
        foreach (var change in (changes ?? []).OrderBy(c => wanted.IndexOf(c.InstanceId ?? "")))
        {
            var previous = change.PreviousState?.Name?.Value ?? "?";
            var current = change.CurrentState?.Name?.Value ?? "?";
            var note = operation == "RebootInstances"
                ? current == "running" ? " (reboot requested)" : " (reboot ignored)"
                : previous == current ? " (no change)" : "";
            output.Line($"{change.InstanceId}: {previous} → {current}{note}");
        }
        return output.Line(followUp).ToString();
    }
}
