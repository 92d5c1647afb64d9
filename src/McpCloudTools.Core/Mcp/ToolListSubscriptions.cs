using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpCloudTools.Core.Registry;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Delivers <c>notifications/tools/list_changed</c> and <c>notifications/resources/list_changed</c> to MCP 2026-07-28
/// clients over HTTP. That revision has no session: a client hears about changes only while it holds a
/// <c>subscriptions/listen</c> request open, and the SDK serves such HTTP requests statelessly, where its own listen
/// grants nothing. This handler keeps each open listen request and sends the notifications it asked for on its
/// stream, tagged with the subscription id, when the registry's tool or resource-template collection changes. (Over
/// stdio the SDK's own listen works and this handler is not installed.)
/// </summary>
public sealed class ToolListSubscriptions : IDisposable
{
    private const string SubscriptionIdKey = "io.modelcontextprotocol/subscriptionId";
    private readonly ConcurrentDictionary<McpServer, Listener> _listeners = new();
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Subscribes to the advertised tool collection.</summary>
    public ToolListSubscriptions(ToolAdvertiser tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        tools.Tools.Changed += (_, _) => _ = NotifyAsync(NotificationMethods.ToolListChangedNotification);
        tools.ResourceTemplates.Changed += (_, _) => _ = NotifyAsync(NotificationMethods.ResourceListChangedNotification);
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
        if (!Wants(context.Params))
        {
            return new EmptyResult();
        }

        var wanted = context.Params!.Notifications!;
        _listeners[context.Server] = new Listener(context.JsonRpcRequest.Id.ToString(), wanted.ToolsListChanged == true, wanted.ResourcesListChanged == true);
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

    /// <summary>Whether a listen request asks for a list change this handler delivers (tools or resources).</summary>
    public static bool Wants(SubscriptionsListenRequestParams? request) =>
        request?.Notifications is { } n && (n.ToolsListChanged == true || n.ResourcesListChanged == true);

    private async Task NotifyAsync(string method)
    {
        var tools = method == NotificationMethods.ToolListChangedNotification;
        foreach (var (server, listener) in _listeners)
        {
            if (!(tools ? listener.Tools : listener.Resources))
            {
                continue;
            }

            try
            {
                var meta = new JsonObject { [SubscriptionIdKey] = listener.SubscriptionId };
                await (tools
                    ? server.SendNotificationAsync(method, new ToolListChangedNotificationParams { Meta = meta })
                    : server.SendNotificationAsync(method, new ResourceListChangedNotificationParams { Meta = meta })).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException or ObjectDisposedException)
            {
                // The client went away; its request's cancellation removes it.
                _listeners.TryRemove(server, out _);
            }
        }
    }

    private sealed record Listener(string SubscriptionId, bool Tools, bool Resources);
}
