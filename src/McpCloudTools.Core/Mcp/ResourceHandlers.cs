using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// MCP resources: each enabled plugin instance's <see cref="PluginBase.GetResourcesAsync"/>, read back through
/// <see cref="PluginBase.ReadResourceAsync"/>. URIs are <c>&lt;type&gt;://&lt;instance&gt;/…</c>.
/// </summary>
public static class ResourceHandlers
{
    private const int MaxResources = 500;

    /// <summary><c>resources/list</c>.</summary>
    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> context, CancellationToken cancellationToken)
    {
        var (instances, catalog, router) = Resolve(context.Services);
        var lists = await Task.WhenAll(instances.All.Where(i => i.Enabled && catalog.FindPlugin(i.Type) is not null).Select(async i =>
        {
            try
            {
                var ctx = await router.InstanceAsync(i.Type, i.Id, cancellationToken).ConfigureAwait(false);
                return await catalog.FindPlugin(i.Type)!.GetResourcesAsync(ctx, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One unreachable account must not hide the others' resources.
                return [];
            }
        })).ConfigureAwait(false);
        return new ListResourcesResult
        {
            Resources = [.. lists.SelectMany(l => l).Take(MaxResources).Select(r => new Resource
            {
                Uri = r.Uri, Name = r.Name, Description = r.Description, MimeType = r.MimeType,
            })],
        };
    }

    /// <summary><c>resources/read</c>.</summary>
    public static async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> context, CancellationToken cancellationToken)
    {
        var (instances, catalog, router) = Resolve(context.Services);
        var uri = context.Params?.Uri ?? "";
        var shown = uri.Length <= 120 ? uri : uri[..120] + "…";
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            throw new McpProtocolException($"'uri' must be an absolute resource URI such as ec2://<instance>/instances/<id>, not '{shown}'. " +
                                           "resources/list shows the available ones.", McpErrorCode.InvalidParams);
        }

        var instance = instances.All.FirstOrDefault(i => string.Equals(i.Id, parsed.Host, StringComparison.OrdinalIgnoreCase));
        var plugin = instance is null ? null : catalog.FindPlugin(instance.Type);
        if (instance is null || plugin is null || !string.Equals(parsed.Scheme, instance.Type, StringComparison.OrdinalIgnoreCase))
        {
            throw new McpProtocolException($"Unknown resource '{shown}': no {parsed.Scheme} instance '{parsed.Host}'. resources/list shows the available ones.",
                McpErrorCode.ResourceNotFound);
        }

        string? text;
        try
        {
            var ctx = await router.InstanceAsync(instance.Type, instance.Id, cancellationToken).ConfigureAwait(false);
            text = await plugin.ReadResourceAsync(ctx, uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Registry.RegistryException e)
        {
            // A disabled or misconfigured instance: the message says what to do.
            throw new McpProtocolException($"Cannot read '{shown}': {McpRemedies.Message(e)}", McpErrorCode.InvalidParams);
        }
        catch (ToolException e)
        {
            // The service's own answer (not found, access denied, throttled…), actionable as tools word it.
            throw new McpException($"Cannot read '{shown}': {e.Message}", e);
        }

        if (text is null)
        {
            throw new McpProtocolException($"Unknown resource '{shown}'. resources/list shows the available ones.", McpErrorCode.ResourceNotFound);
        }

        var allow = context.Services!.GetRequiredService<Safety.SafetyOptions>().AllowSensitiveData;
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = Safety.Redactor.Apply(text, allow) }] };
    }

    private static (InstanceRegistry, ToolCatalog, PluginRouter) Resolve(IServiceProvider? services) =>
        services is null ? throw new InvalidOperationException("No services on the request.")
            : (services.GetRequiredService<InstanceRegistry>(), services.GetRequiredService<ToolCatalog>(), services.GetRequiredService<PluginRouter>());
}
