using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// <c>tools/list</c> per caller: the shared collection (what the process advertises) less the tools the caller's
/// grants do not reach (<see cref="GrantPolicy"/>), so a caller sees exactly the tools it may call. The collection's
/// changes are broadcast as <c>list_changed</c>; each session then lists again and gets its own view.
/// </summary>
public static class CallerToolList
{
    /// <summary>The list filter.</summary>
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> Filter(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var services = context.Services ?? throw new InvalidOperationException("No services on the request.");
            var policy = services.GetRequiredService<GrantPolicy>();
            var grants = policy.For(context.User);
            if (grants == Grants.All)
            {
                return result;
            }

            var catalog = services.GetRequiredService<ToolCatalog>();
            result.Tools = [.. result.Tools.Where(t => catalog.Find(t.Name) is not { } tool || (grants & tool.Required) != Grants.None)];
            return result;
        };
}
