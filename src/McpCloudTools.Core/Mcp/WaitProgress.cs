using ModelContextProtocol;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// The progress a <c>*_wait</c> tool reports while it waits: each change as an MCP progress notification, plus a
/// heartbeat when nothing changed for <see cref="HeartbeatInterval"/>, so that clients that reset their timeout on
/// progress keep waiting. Values are elapsed seconds out of the wait's total, strictly increasing (nudged when two
/// reports share a tick), as the protocol requires. Clients may miss the last notification (the SDK drops it when the
/// result wins the race), so the tool's result, not a notification, is the completion signal.
/// </summary>
public sealed class WaitProgress(IProgress<ProgressNotificationValue> progress, TimeSpan timeout)
{
    /// <summary>How long a wait stays silent before it reports that it is still waiting.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(60);

    private float _last = -1;
    private TimeSpan _lastReport = TimeSpan.Zero;

    /// <summary>Reports a change (or the start, at zero).</summary>
    public void Changed(TimeSpan elapsed, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Send(elapsed, message);
    }

    /// <summary>Reports that nothing changed, when nothing was reported for <see cref="HeartbeatInterval"/>.</summary>
    public void Unchanged(TimeSpan elapsed, Func<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (elapsed - _lastReport >= HeartbeatInterval)
        {
            Send(elapsed, message());
        }
    }

    private void Send(TimeSpan elapsed, string message)
    {
        var value = Math.Max((float)elapsed.TotalSeconds, _last + 0.001f);
        _last = value;
        _lastReport = elapsed;
        progress.Report(new ProgressNotificationValue { Progress = value, Total = (float)timeout.TotalSeconds, Message = message });
    }
}
