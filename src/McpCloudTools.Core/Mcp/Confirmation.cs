using System.Text;
using System.Text.Json;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// What the confirmation step decided: the audit's wording, and the result to answer instead of running the tool
/// (declined, or refused by the fallback), or null to run it.
/// </summary>
/// <param name="Audit">For the audit line: <c>none needed</c>, <c>confirmed by a person</c>, <c>declined by a person</c>,
/// <c>not asked (client cannot elicit), fallback allow</c> or <c>… fallback deny</c>.</param>
/// <param name="Instead">The answer when the tool must not run.</param>
public sealed record ConfirmationDecision(string Audit, CallToolResult? Instead);

/// <summary>
/// Confirmation before a tool that changes something runs (<see cref="SafetyOptions.Confirm"/>; by default every tool whose
/// annotations say destructive): the client is asked, through MCP elicitation (on 2026-07-28 the SDK carries it as an
/// input-required result), to have a person confirm, shown exactly what will happen: the tool, its targets (the
/// arguments) and, where the tool has a <c>dry_run</c>, the dry run's outcome. Declining changes nothing and says so.
/// A client that cannot elicit gets the configured fallback (<see cref="SafetyOptions.ConfirmFallbackAllows"/>).
/// A call that is itself a dry run changes nothing and is not asked about.
/// </summary>
public static class Confirmation
{
    /// <summary>The argument that makes a write tool preview only.</summary>
    public const string DryRunArgument = "dry_run";

    /// <summary>Longest shown argument value, and longest shown dry-run outcome.</summary>
    private const int MaxValue = 200;
    private const int MaxPreview = 1500;

    /// <summary>Asks for confirmation when <paramref name="tool"/> needs it; runs the dry run through <paramref name="next"/> first where there is one.</summary>
    public static async Task<ConfirmationDecision> DecideAsync(RequestContext<CallToolRequestParams> context,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, ToolDescriptor? tool, SafetyOptions safety, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(safety);
        var request = context.Params;
        if (tool is null || request is null || !safety.NeedsConfirmation(tool.Access) || IsDryRun(request.Arguments))
        {
            return new("none needed", null);
        }

        var name = request.Name;
        if (context.Server.ClientCapabilities?.Elicitation is null)
        {
            return CannotAsk(name, safety);
        }

        var hasDryRun = tool.Arguments.Bound.Any(b => b.Name == DryRunArgument);
        string? preview = null;
        if (hasDryRun)
        {
            var previewResult = await PreviewAsync(context, next, cancellationToken).ConfigureAwait(false);
            preview = Text(previewResult);
            if (previewResult.IsError == true)
            {
                // The dry run says it would fail (no such instance, no permission): nothing to confirm.
                return new("none needed (the dry run failed)", previewResult);
            }
        }

        var targets = Targets(request.Arguments);
        var message = new StringBuilder()
            .Append(name).Append(tool.Access == ToolAccess.Destructive ? " is destructive" : " changes your cloud")
            .Append(": ").Append(tool.Tool.ProtocolTool.Description?.Trim() ?? name)
            .Append(" It will run with ").Append(targets).Append('.');
        if (preview is not null)
        {
            message.Append(" Dry run: ").Append(Clip(preview, MaxPreview));
        }

        message.Append(" Run it?");
        ElicitResult answer;
        try
        {
            answer = await context.Server.ElicitAsync(new ElicitRequestParams
            {
                Message = message.ToString(),
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["confirm"] = new ElicitRequestParams.BooleanSchema
                        {
                            Title = $"Run {name}", Description = $"Yes to run {name} as shown; no changes nothing.", Default = false,
                        },
                    },
                    Required = ["confirm"],
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The client declared elicitation but this transport cannot carry the request (stateless HTTP).
            return CannotAsk(name, safety);
        }

        if (answer.IsAccepted && answer.Content is { } content && content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True)
        {
            return new("confirmed by a person", null);
        }

        var how = answer.Action switch { "accept" => "answered no", "decline" => "declined", _ => "cancelled the confirmation" };
        return new($"declined by a person ({answer.Action})", new CallToolResult
        {
            Content = [new TextContentBlock { Text = $"Not done: the user {how} when asked to confirm {name} with {targets}; nothing was changed. " +
                "Do not retry unless the user asks for it." }],
        });
    }

    private static ConfirmationDecision CannotAsk(string name, SafetyOptions safety) => safety.ConfirmFallbackAllows
        ? new("not asked (client cannot elicit), fallback allow", null)
        : new("not asked (client cannot elicit), fallback deny", CallToolGuard.Error(
            $"Not done: {name} needs a person's confirmation on this server (--confirm), and this client cannot ask for one (no MCP elicitation " +
            "support); nothing was changed. Use a client that supports elicitation, or the operator can restart the server with --confirm-fallback allow."));

    private static async Task<CallToolResult> PreviewAsync(RequestContext<CallToolRequestParams> context,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken cancellationToken)
    {
        var original = context.Params!;
        var arguments = new Dictionary<string, JsonElement>(original.Arguments ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal)
        {
            [DryRunArgument] = JsonSerializer.SerializeToElement(true, CoreJsonContext.Default.Boolean),
        };
        context.Params = new CallToolRequestParams { Name = original.Name, Arguments = arguments, Meta = original.Meta };
        try
        {
            return await next(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.Params = original;
        }
    }

    private static bool IsDryRun(IDictionary<string, JsonElement>? arguments) =>
        arguments is not null && arguments.TryGetValue(DryRunArgument, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Targets(IDictionary<string, JsonElement>? arguments)
    {
        var shown = (arguments ?? new Dictionary<string, JsonElement>()).Where(kv => kv.Key != DryRunArgument)
            .Select(kv => $"{kv.Key}={Clip(kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString() ?? "" : kv.Value.GetRawText(), MaxValue)}")
            .ToList();
        return shown.Count == 0 ? "no arguments" : string.Join(", ", shown);
    }

    private static string Text(CallToolResult result) =>
        string.Join(" ", result.Content.OfType<TextContentBlock>().Select(b => b.Text)).ReplaceLineEndings(" ").Trim();

    private static string Clip(string value, int max)
    {
        var printable = new string([.. value.Select(c => char.IsControl(c) ? ' ' : c)]);
        return Fmt.Clip(printable, max);
    }
}
