using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// MCP resources: each enabled plugin instance's <see cref="PluginBase.GetResourcesAsync"/>, read back through
/// <see cref="PluginBase.ReadResourceAsync"/>. URIs are <c>&lt;type&gt;://&lt;instance&gt;/…</c>. Resources are data a
/// read tool would show, so they follow the caller's grants as tools do: a caller without the read grant lists none (nor
/// templates) and is refused a read, and every request runs as its caller (<see cref="CallerScope"/>: their view, and
/// their own AWS identity on an instance with <c>caller_role_arn</c>). A read is audited as a tool call is: a template's
/// read is its tool's call, any other read an audit line naming the resource.
/// </summary>
public static partial class ResourceHandlers
{
    private const int MaxResources = 500;

    /// <summary><c>resources/list</c>.</summary>
    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> context, CancellationToken cancellationToken)
    {
        var (instances, catalog, router) = Resolve(context.Services);
        if (!CallerScope.MayRead(context.Services!, context.User, out _))
        {
            return new ListResourcesResult { Resources = [] };
        }

        using var caller = CallerScope.Enter(context.User);
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
        var shown = Fmt.Clip(uri, 120);
        if (!CallerScope.MayRead(context.Services!, context.User, out var grants))
        {
            Audit(context, shown, DateTimeOffset.UtcNow, 0, null, "refused: read");
            throw new McpProtocolException($"Reading resources needs the 'read' grant, which your sign-in does not carry (yours: {Safety.GrantPolicy.Names(grants)}). " +
                "Ask the server's administrator to map one of your groups or scopes to 'read' (Auth:Grants).", McpErrorCode.InvalidRequest);
        }

        using var caller = CallerScope.Enter(context.User);
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

        var segments = PathSegments(uri);
        var match = plugin.ResourceTemplates.Select(t => (Template: t, Values: Match(t, segments))).Where(m => m.Values is not null)
            .OrderByDescending(m => m.Template.Segments.Count).FirstOrDefault();
        if (match.Values is not null)
        {
            return await ReadTemplateAsync(context, instance, match.Template, match.Values, shown, cancellationToken).ConfigureAwait(false);
        }

        string? text;
        var startedAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        using (AuditScope.Begin(out var noted))
        {
            try
            {
                var ctx = await router.InstanceAsync(instance.Type, instance.Id, cancellationToken).ConfigureAwait(false);
                text = await plugin.ReadResourceAsync(ctx, uri, cancellationToken).ConfigureAwait(false);
                outcome = text is null ? "not found" : "ok";
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
            finally
            {
                Audit(context, shown, startedAt, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, noted, outcome);
            }
        }

        if (text is null)
        {
            throw new McpProtocolException($"Unknown resource '{shown}'. resources/list shows the available ones.", McpErrorCode.ResourceNotFound);
        }

        // Redaction follows the caller's sensitive grant (capped by --allow-sensitive-data), as for tool calls.
        var allow = grants.HasFlag(Safety.Grants.Sensitive);
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = Safety.Redactor.Apply(text, allow) }] };
    }

    /// <summary><c>resources/templates/list</c> per caller: the advertised templates, none for a caller without the read grant.</summary>
    public static McpRequestHandler<ListResourceTemplatesRequestParams, ListResourceTemplatesResult> TemplatesFilter(
        McpRequestHandler<ListResourceTemplatesRequestParams, ListResourceTemplatesResult> next) =>
        async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            if (!CallerScope.MayRead(context.Services ?? throw new InvalidOperationException("No services on the request."), context.User, out _))
            {
                result.ResourceTemplates = [];
            }

            return result;
        };

    /// <summary>
    /// Reads a templated URI by calling its tool: every variable checked against the rule the tool declares for that
    /// argument (an error naming the variable, before anything is sent), then the tool's own argument check and run.
    /// </summary>
    private static async ValueTask<ReadResourceResult> ReadTemplateAsync(RequestContext<ReadResourceRequestParams> context, PluginInstance instance,
        PluginResourceTemplate template, IReadOnlyDictionary<string, string> values, string shown, CancellationToken cancellationToken)
    {
        var services = context.Services!;
        var tool = services.GetRequiredService<ToolCatalog>().Find(template.Tool)
                   ?? throw new McpException($"Cannot read '{shown}': its tool {template.Tool} is not registered (a defect of the plugin).");
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in values)
            {
                var single = tool.Arguments.Items.FirstOrDefault(a => a.Name == name && a.Shape == ArgumentShape.Text);
                var list = tool.Arguments.Items.FirstOrDefault(a => a.Name == name + "s" && a.Shape == ArgumentShape.TextList);
                var rule = (single ?? list)?.Rule ?? TextRule.Default;
                if (string.IsNullOrEmpty(value)) throw ArgumentError.Missing(name, rule);
                if (rule.Problem(value) is { } problem) throw ArgumentError.Invalid(name, value, problem, rule);
                if (list is not null && single is null) arguments[list.Name] = Json(w => { w.WriteStartArray(); w.WriteStringValue(value); w.WriteEndArray(); });
                else arguments[name] = Json(w => w.WriteStringValue(value));
            }

            if (tool.Arguments.Bound.Any(b => b.Name == "instance")) arguments["instance"] = Json(w => w.WriteStringValue(instance.Id));
            tool.Arguments.Check(arguments, null);
        }
        catch (ToolException e)
        {
            throw new McpProtocolException($"Cannot read '{shown}' ({template.UriTemplate(instance.Type)}): {e.Message}", McpErrorCode.InvalidParams);
        }

        var request = new RequestContext<CallToolRequestParams>(context.Server, context.JsonRpcRequest,
            new CallToolRequestParams { Name = tool.Name, Arguments = arguments })
        {
            Services = services,
            User = context.User,
        };
        // Through the one guard of every tool call: the caller's grants and redaction, the caller's view and AWS
        // identity, the whole-call deadline, errors as messages, and the audit line.
        var result = await CallToolGuard.Filter((call, ct) => tool.Tool.InvokeAsync(call, ct))(request, cancellationToken).ConfigureAwait(false);
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        if (result.IsError == true) throw new McpException($"Cannot read '{shown}': {text}");
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = context.Params!.Uri, MimeType = "text/plain", Text = text }] };
    }

    /// <summary>The audit line of a refused or plain read: JSON with the caller, or the log's text line (as for tool calls).</summary>
    private static void Audit(RequestContext<ReadResourceRequestParams> context, string resource, DateTimeOffset startedAt, long elapsedMs,
        AuditScope? noted, string outcome)
    {
        var services = context.Services!;
        services.GetRequiredService<AuditTrail>().Record(
            () => AuditRecord.OfRequest(context.User, context.Server.SessionId, startedAt, elapsedMs, noted, outcome) with { Resource = resource },
            () => LogRead(services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Audit"), resource, outcome, elapsedMs));
    }

    [LoggerMessage(LogLevel.Information, "resource {Resource} read: {Outcome} in {ElapsedMs} ms")]
    private static partial void LogRead(ILogger logger, string resource, string outcome, long elapsedMs);

    /// <summary>The URI's raw path segments after the instance (what the client sent, not normalised).</summary>
    private static string[] PathSegments(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        var slash = start < 0 ? -1 : uri.IndexOf('/', start + 3);
        return slash < 0 ? [] : uri[(slash + 1)..].Split('/');
    }

    /// <summary>
    /// The template's variables' decoded values when the URI's literals are in place; the last variable takes the rest of
    /// the path (so <c>/../</c> or an unencoded <c>/</c> reaches its rule and is refused by name, rather than not matching).
    /// </summary>
    private static Dictionary<string, string>? Match(PluginResourceTemplate template, string[] segments)
    {
        var shape = template.Segments;
        if (segments.Length < shape.Count || (segments.Length > shape.Count && !IsVariable(shape[^1]))) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shape.Count; i++)
        {
            var last = i == shape.Count - 1;
            var raw = last ? string.Join('/', segments[i..]) : segments[i];
            if (!IsVariable(shape[i]))
            {
                if (!string.Equals(shape[i], raw, StringComparison.Ordinal)) return null;
                continue;
            }

            values[shape[i][1..^1]] = Uri.UnescapeDataString(raw);
        }

        return values;
    }

    private static bool IsVariable(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static (InstanceRegistry, ToolCatalog, PluginRouter) Resolve(IServiceProvider? services) =>
        services is null ? throw new InvalidOperationException("No services on the request.")
            : (services.GetRequiredService<InstanceRegistry>(), services.GetRequiredService<ToolCatalog>(), services.GetRequiredService<PluginRouter>());
}
