using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpCloudTools.Core.Registry;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Delivers <c>notifications/tools/list_changed</c> to MCP 2026-07-28 clients over HTTP. That revision has no
/// session: a client hears about changes only while it holds a <c>subscriptions/listen</c> request open, and the
/// SDK serves such HTTP requests statelessly, where its own listen grants nothing. This handler keeps each open
/// listen request and sends the notification on its stream, tagged with the subscription id, when the registry's
/// tool collection changes. (Over stdio the SDK's own listen works and this handler is not installed.)
/// </summary>
public sealed class ToolListSubscriptions : IDisposable
{
    private const string SubscriptionIdKey = "io.modelcontextprotocol/subscriptionId";
    private readonly ConcurrentDictionary<McpServer, string> _listeners = new();
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Subscribes to the advertised tool collection.</summary>
    public ToolListSubscriptions(ToolAdvertiser tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        tools.Tools.Changed += (_, _) => _ = NotifyAsync();
    }

    /// <summary>How many listen streams are open.</summary>
    public int Count => _listeners.Count;

    /// <summary>
    /// Ends every open listen request with its (empty) result and every later one at once: the server is stopping,
    /// and a client re-listens elsewhere rather than holding the shutdown until its deadline.
    /// </summary>
    public void Close() => _closing.Cancel();

    /// <inheritdoc />
    public void Dispose() => _closing.Dispose();

    /// <summary>The <c>subscriptions/listen</c> handler: holds the request open until the client cancels it.</summary>
    public async ValueTask<EmptyResult> HandleAsync(RequestContext<SubscriptionsListenRequestParams> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Params?.Notifications?.ToolsListChanged != true)
        {
            return new EmptyResult();
        }

        _listeners[context.Server] = context.JsonRpcRequest.Id.ToString();
        try
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
            await Task.Delay(Timeout.Infinite, held.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _listeners.TryRemove(context.Server, out _);
        }

        return new EmptyResult();
    }

    private async Task NotifyAsync()
    {
        foreach (var (server, subscriptionId) in _listeners)
        {
            try
            {
                await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification,
                    new ToolListChangedNotificationParams { Meta = new JsonObject { [SubscriptionIdKey] = subscriptionId } }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException or ObjectDisposedException)
            {
                // The client went away; its request's cancellation removes it.
                _listeners.TryRemove(server, out _);
            }
        }
    }
}
