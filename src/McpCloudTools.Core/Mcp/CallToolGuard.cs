using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// The single place every tool call passes through: the safety policy checked again at call time, the caller's view
/// of the registry (<see cref="CallerKey"/>), the arguments bound and checked before the tool runs, the whole-call
/// deadline (<see cref="CallDeadline"/>), failures turned into actionable error results (never a stack trace), the
/// shared redaction step (the strict path for a tool marked <see cref="SensitiveDataAttribute"/>, by that marker
/// alone), the caller's grants (<see cref="GrantPolicy"/>: a call beyond them is refused naming the missing grant, and
/// redaction follows the caller's <c>sensitive</c> grant), and an audit line (<see cref="AuditTrail"/>).
/// </summary>
public static partial class CallToolGuard
{
    /// <summary>The call filter.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services ?? throw new InvalidOperationException("No services on the request.");
            var catalog = services.GetRequiredService<ToolCatalog>();
            var advertised = services.GetRequiredService<ToolAdvertiser>();
            var safety = services.GetRequiredService<SafetyOptions>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Audit");
            var audit = services.GetRequiredService<AuditTrail>();
            var name = context.Params?.Name ?? "";
            var tool = catalog.Find(name);
            var startedAt = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            if (tool is { PluginType: not null } && (!safety.Permits(tool.Access) || !advertised.Tools.TryGetPrimitive(name, out _)))
            {
                // Defence in depth: the collection already leaves these out, so normally the call never gets here.
                LogRefused(logger, name, tool.PluginType);
                return Error(UnknownToolHandler.WhyUnavailable(services, name));
            }

            var policy = services.GetRequiredService<GrantPolicy>();
            var grants = policy.For(context.User);
            if (tool is not null && (grants & tool.Required) == Grants.None)
            {
                var missing = GrantPolicy.Name(tool.Required);
                audit.Record(() => Line(context, startedAt, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, $"refused: {missing}", null),
                    () => LogCall(logger, name, tool.PluginType ?? "-", $"refused: {missing}", 0, string.Join(",", context.Params?.Arguments?.Keys ?? []), "not asked"));

                return Error($"Tool '{name}' needs the '{missing}' grant, which your sign-in does not carry (yours: {GrantPolicy.Names(grants)}). " +
                    $"Ask the server's administrator to map one of your groups or scopes to '{missing}' (Auth:Grants), or use a tool your grants allow (tools/list shows them).");
            }

            using var caller = CallerScope.Enter(context.User);
            using var auditScope = AuditScope.Begin(out var noted);
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var budget = tool?.Deadline(context.Params?.Arguments, (services.GetService<CallLimits>() ?? CallLimits.Default).CallTimeout);
            using var deadline = budget is { } b ? new CancellationTokenSource(b, time) : new CancellationTokenSource();
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            using var scope = budget is { } span ? CallDeadline.Begin(span, time) : null;
            CallToolResult result;
            var confirmation = "none needed";
            string? failure = null;
            try
            {
                // Every argument bound and every text argument against its declared rule, before the tool runs and
                // before anything is sent: what fails after this is the tool's own failure.
                tool?.Arguments.Check(context.Params?.Arguments,
                    context.Items.TryGetValue(UnicodeRepairFilter.ItemKey, out var broken) ? broken as IReadOnlyDictionary<string, string> : null);
                // A tool that changes something asks a person first (--confirm); declining answers instead of running it.
                var decision = await Confirmation.DecideAsync(context, next, tool, safety, call.Token).ConfigureAwait(false);
                confirmation = decision.Audit;
                result = decision.Instead ?? await next(context, call.Token).ConfigureAwait(false);
            }
            catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Whatever the cut produced (a cancellation, a client's timeout wording, a wrapped exception): the
                // deadline is what happened, and its message says what was waited for and what to try.
                result = Error(CallDeadline.Current!.Message(name));
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the client cancelling nor the deadline: a wait inside the server (a shared initialisation, a
                // connection being built) ran out of its own time.
                LogInternalTimeout(logger, e, name);
                result = Error($"{name} stopped: something it waited for inside the server timed out (an instance's discovery or a cluster " +
                               "connection being built, which have their own time limits). Retry; if it persists, check that the endpoints " +
                               "answer (clusters_list refresh=true shows discovery errors, plugins_list check_health=true the instances' health).");
            }
            catch (ArgumentBindingException e)
            {
                failure = InvalidArgumentException.AuditOutcome;
                result = Error($"Invalid arguments for {name}: {e.Message} tools/list gives the expected input schema.");
            }
            catch (InvalidArgumentException e)
            {
                failure = InvalidArgumentException.AuditOutcome;
                result = Error(e.Message);
            }
            catch (RegistryException e)
            {
                result = Error(McpRemedies.Message(e));
            }
            catch (ToolException e)
            {
                result = Error(e.Message);
            }
            catch (StateUnavailableException e)
            {
                // Expected while the database is away (the store logs the outage once): one line, no stack.
                LogStateUnavailable(logger, name, e.Message);
                result = Error(e.Message);
            }
            catch (ServerFaultException e)
            {
                LogServerFault(logger, e, name);
                result = Error(e.Message);
            }
            catch (Exception e) when (e is not (McpException or OperationCanceledException))
            {
                LogUnexpected(logger, e, name);
                result = Error($"{name} failed unexpectedly ({e.GetType().Name}). The server log (stderr) has details; retry, or report it if it persists.");
            }

            var showSensitive = grants.HasFlag(Grants.Sensitive);
            Redact(result, showSensitive, strict: tool?.Sensitive == true);
            var outcome = result.IsError == true ? failure ?? "error" : tool is { Sensitive: true } && showSensitive ? "ok (sensitive data shown)" : "ok";
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            audit.Record(() => Line(context, startedAt, elapsedMs, noted, result.IsError == true ? failure ?? "error" : "ok", confirmation),
                () => LogCall(logger, name, tool?.PluginType ?? "-", outcome, elapsedMs, string.Join(",", context.Params?.Arguments?.Keys ?? []), confirmation));

            services.GetService<RecentCalls>()?.Add(context, name, tool?.PluginType ?? "-", outcome, elapsedMs);
            return result;
        };

    /// <summary>The JSON audit line of a call.</summary>
    private static AuditRecord Line(RequestContext<CallToolRequestParams> context, DateTimeOffset startedAt, long elapsedMs,
        AuditScope? noted, string outcome, string? confirmation) =>
        AuditRecord.OfRequest(context.User, context.Server.SessionId, startedAt, elapsedMs, noted, outcome) with
        {
            Tool = context.Params?.Name,
            Args = context.Params?.Arguments is { Count: > 0 } args ? [.. args.Keys] : null,
            Confirmation = confirmation,
        };

    /// <summary>An error result with an actionable message.</summary>
    public static CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    /// <summary>
    /// The redaction step of a result: every text block and every string of its structured content; on the strict
    /// path (a sensitive tool) also every string under a key whose name says it is a secret.
    /// </summary>
    internal static void Redact(CallToolResult result, bool allowSensitive, bool strict)
    {
        foreach (var block in result.Content.OfType<TextContentBlock>())
        {
            block.Text = Redactor.Apply(block.Text, allowSensitive, strict);
        }

        if (result.StructuredContent is { } structured)
        {
            var node = JsonNode.Parse(structured.GetRawText());
            RedactNode(node, allowSensitive, strict);
            result.StructuredContent = JsonSerializer.SerializeToElement(node, CoreJsonContext.Default.JsonNode);
        }
    }

    private static void RedactNode(JsonNode? node, bool allowSensitive, bool strict)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(kv => kv.Key).ToList())
                {
                    if (obj[key] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        obj[key] = strict && !allowSensitive && Redactor.IsSecretName(key) && s.Length > 0 && !s.StartsWith('<')
                            ? Redactor.Redacted
                            : Redactor.Apply(s, allowSensitive, strict);
                    }
                    else
                    {
                        RedactNode(obj[key], allowSensitive, strict);
                    }
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        arr[i] = Redactor.Apply(s, allowSensitive, strict);
                    }
                    else
                    {
                        RedactNode(arr[i], allowSensitive, strict);
                    }
                }

                break;
        }
    }

    [LoggerMessage(LogLevel.Information, "tool {Tool} plugin {Plugin} {Outcome} in {ElapsedMs} ms (args: {Args}; confirmation: {Confirmation})")]
    private static partial void LogCall(ILogger logger, string tool, string plugin, string outcome, long elapsedMs, string args, string confirmation);

    [LoggerMessage(LogLevel.Warning, "tool {Tool} plugin {Plugin} refused: not advertised in this mode or no enabled instance")]
    internal static partial void LogRefused(ILogger logger, string tool, string plugin);

    [LoggerMessage(LogLevel.Warning, "tool {Tool} stopped: an internal wait timed out")]
    private static partial void LogInternalTimeout(ILogger logger, Exception exception, string tool);

    [LoggerMessage(LogLevel.Warning, "tool {Tool} refused: {Reason}")]
    private static partial void LogStateUnavailable(ILogger logger, string tool, string reason);

    [LoggerMessage(LogLevel.Error, "tool {Tool} failed in the server")]
    private static partial void LogServerFault(ILogger logger, Exception exception, string tool);

    [LoggerMessage(LogLevel.Error, "tool {Tool} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string tool);
}

/// <summary>Answers calls to tools that are not advertised, saying why and what to do.</summary>
public static class UnknownToolHandler
{
    /// <summary>
    /// The fallback call handler (the SDK sends it every name not in the tool collection). It answers with a tool
    /// error rather than a JSON-RPC error so that the model, not only the client, reads what to do.
    /// </summary>
    public static ValueTask<CallToolResult> HandleAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var services = context.Services ?? throw new InvalidOperationException("No services on the request.");
        var name = context.Params?.Name ?? "";
        var message = WhyUnavailable(services, name);
        CallToolGuard.LogRefused(services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Audit"), name,
            services.GetRequiredService<ToolCatalog>().Find(name)?.PluginType ?? "-");
        return ValueTask.FromResult(CallToolGuard.Error(message));
    }

    /// <summary>Why <paramref name="name"/> cannot be called, and what would make it callable.</summary>
    public static string WhyUnavailable(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var catalog = services.GetRequiredService<ToolCatalog>();
        var tool = catalog.Find(name);
        if (tool is null)
        {
            var prefix = name.Split('_')[0];
            var related = services.GetRequiredService<ToolAdvertiser>().Tools.Select(t => t.ProtocolTool.Name)
                .Where(n => n.StartsWith(prefix + "_", StringComparison.Ordinal)).Order().Take(12).ToList();
            return $"Unknown tool '{name}'. " + (related.Count > 0 ? $"Did you mean one of: {string.Join(", ", related)}?" : "tools/list shows the available tools.");
        }

        if (!services.GetRequiredService<SafetyOptions>().Permits(tool.Access))
        {
            return $"Tool '{name}' is a {(tool.Access == ToolAccess.Destructive ? "destructive" : "write")} tool and this server runs read-only. " +
                   "Restart it with --allow-write to use write tools.";
        }

        var instances = services.GetRequiredService<InstanceRegistry>().All.Where(i => i.Type == tool.PluginType).Select(i => i.Id).ToList();
        return $"Tool '{name}' belongs to plugin type '{tool.PluginType}', which has no enabled instance. " +
               (instances.Count > 0 ? $"Enable one with plugin_enable ({string.Join(", ", instances)})." : "Create one with POST /api/plugins.");
    }
}
