using System.Diagnostics;
using McpCloudTools.Core.Telemetry;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>One audited tool call, as the status page shows it: who, which tool, the outcome, how long.</summary>
/// <param name="At">When it ended.</param>
/// <param name="Who">The caller: a signed-in subject, a token's hash, the loopback client, or <c>stdio</c>.</param>
/// <param name="Tool">The tool called.</param>
/// <param name="Plugin">Its plugin type, or <c>-</c>.</param>
/// <param name="Outcome"><c>ok</c>, <c>error</c>, or <c>ok (sensitive data shown)</c>.</param>
/// <param name="DurationMs">Milliseconds.</param>
public sealed record CallRecord(DateTimeOffset At, string Who, string Tool, string Plugin, string Outcome, long DurationMs);

/// <summary>
/// The last <see cref="Capacity"/> audited calls, in memory (bounded, oldest dropped), fed from the one place the
/// audit line is written (<see cref="CallToolGuard"/>), for the status page.
/// </summary>
public sealed class RecentCalls(TimeProvider time)
{
    /// <summary>Calls kept.</summary>
    public const int Capacity = 100;

    private readonly Queue<CallRecord> _records = new(Capacity);

    /// <summary>The kept calls, newest first.</summary>
    public IReadOnlyList<CallRecord> Snapshot()
    {
        lock (_records)
        {
            return [.. _records.Reverse()];
        }
    }

    /// <summary>
    /// Records an audited call, and puts what the MCP SDK's server span lacks on it (the transport's session id,
    /// the plugin): names from the server, never the call's arguments or result.
    /// </summary>
    public void Add(RequestContext<CallToolRequestParams> context, string tool, string plugin, string outcome, long durationMs)
    {
        ArgumentNullException.ThrowIfNull(context);
        var who = context.User?.FindFirst("sub")?.Value ?? context.User?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "stdio";
        var record = new CallRecord(time.GetUtcNow(), who, tool.Length <= 128 ? tool : tool[..128], plugin, outcome, durationMs);
        lock (_records)
        {
            if (_records.Count == Capacity)
            {
                _records.Dequeue();
            }

            _records.Enqueue(record);
        }

        if (Activity.Current is { IsAllDataRequested: true } span && span.Source.Name == CloudToolsTelemetry.McpSourceName)
        {
            // The SDK's mcp.session.id is a GUID of its own; the conventions mean the transport's session (Mcp-Session-Id).
            if (context.Server.SessionId is { } session)
            {
                span.SetTag("mcp.session.id", session);
            }

            span.SetTag("mcpcloudtools.plugin", plugin);
        }
    }
}
